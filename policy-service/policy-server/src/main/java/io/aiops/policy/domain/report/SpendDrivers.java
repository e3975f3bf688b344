package io.aiops.policy.domain.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Splits the change of a workflow's spend between two periods into four drivers. The spend of a period is written as
 * {@code N * sum over models m of (a_m * t_m * p_m)}: N the calls, a_m the attempts on model m per call (the mix:
 * which models answer, and how often a call needs a second attempt), t_m the tokens (input + output) per attempt and
 * p_m the cost per token. Each driver's share is its Shapley value: the change it makes when switched from the earlier
 * to the later period, averaged over every order of switching the four, so the shares do not depend on an order and
 * add up to the whole change.
 *
 * <p>A model used in only one of the two periods has no tokens per attempt or price in the other; its missing values
 * are taken from the period in which it was used, so a new or a retired model moves spend through the mix alone (its
 * attempts per call go from or to zero). Whatever the product form does not capture (cost on an attempt with no
 * tokens) is reported as {@code other}, so the drivers always add up to the change to the micro-dollar.
 */
public final class SpendDrivers {

    private static final MathContext MATH = MathContext.DECIMAL128;
    private static final int MICRO_DOLLARS = 6;

    public enum Driver {
        VOLUME,
        MIX,
        TOKENS,
        PRICE,
        OTHER
    }

    /** A model's figures in one period: attempts made on it, tokens of those attempts, and their cost. */
    public record ModelFigures(long attempts, long tokens, BigDecimal costUsd) {}

    /** A workflow's figures in one period: its calls and its figures per model. */
    public record Period(long calls, Map<String, ModelFigures> models) {

        public Period {
            models = Map.copyOf(models);
        }

        public BigDecimal costUsd() {
            return models.values().stream().map(ModelFigures::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /** The two periods' spend, the change, and each driver's share of it (rounded to micro-dollars, exact sum). */
    public record Decomposition(
            BigDecimal before, BigDecimal after, BigDecimal change, Map<Driver, BigDecimal> effects) {

        public Decomposition {
            effects = java.util.Collections.unmodifiableMap(new EnumMap<>(effects));
        }

        /** The driver with the largest share of the change (by size), or empty when nothing changed. */
        public java.util.Optional<Map.Entry<Driver, BigDecimal>> largest() {
            return effects.entrySet().stream()
                    .filter(e -> e.getValue().signum() != 0)
                    .max(Comparator.comparing(e -> e.getValue().abs()));
        }
    }

    private SpendDrivers() {}

    public static Decomposition decompose(Period before, Period after) {
        TreeSet<String> names = new TreeSet<>(before.models().keySet());
        names.addAll(after.models().keySet());
        Factors base = Factors.of(before, after, names);
        Factors next = Factors.of(after, before, names);

        BigDecimal beforeCost = before.costUsd();
        BigDecimal afterCost = after.costUsd();
        BigDecimal change = afterCost.subtract(beforeCost);

        Map<Driver, BigDecimal> effects = new EnumMap<>(Driver.class);
        Driver[] drivers = {Driver.VOLUME, Driver.MIX, Driver.TOKENS, Driver.PRICE};
        for (int d = 0; d < drivers.length; d++) {
            BigDecimal value = BigDecimal.ZERO;
            // every set of the other drivers already switched; weight |S|! (3 - |S|)! / 4!
            for (int set = 0; set < 16; set++) {
                if ((set & (1 << d)) != 0) {
                    continue;
                }
                int size = Integer.bitCount(set);
                BigDecimal weight = BigDecimal.valueOf(factorial(size) * factorial(3 - size))
                        .divide(BigDecimal.valueOf(24), MATH);
                BigDecimal with = cost(base, next, set | (1 << d), names);
                BigDecimal without = cost(base, next, set, names);
                value = value.add(weight.multiply(with.subtract(without), MATH), MATH);
            }
            effects.put(drivers[d], value.setScale(MICRO_DOLLARS, RoundingMode.HALF_EVEN));
        }
        BigDecimal explained = effects.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        effects.put(
                Driver.OTHER,
                change.setScale(MICRO_DOLLARS, RoundingMode.HALF_EVEN).subtract(explained));
        return new Decomposition(beforeCost, afterCost, change, effects);
    }

    private static long factorial(int n) {
        long f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }

    /** N * sum(a * t * p), each factor from {@code next} when its bit is set in {@code switched}, else from base. */
    private static BigDecimal cost(Factors base, Factors next, int switched, TreeSet<String> names) {
        BigDecimal n = ((switched & 1) != 0 ? next : base).calls;
        BigDecimal sum = BigDecimal.ZERO;
        for (String m : names) {
            BigDecimal a = ((switched & 2) != 0 ? next : base).attemptsPerCall.get(m);
            BigDecimal t = ((switched & 4) != 0 ? next : base).tokensPerAttempt.get(m);
            BigDecimal p = ((switched & 8) != 0 ? next : base).costPerToken.get(m);
            sum = sum.add(a.multiply(t, MATH).multiply(p, MATH), MATH);
        }
        return n.multiply(sum, MATH);
    }

    /** One period's factors; tokens per attempt and price of a model unused in it come from the other period. */
    private record Factors(
            BigDecimal calls,
            Map<String, BigDecimal> attemptsPerCall,
            Map<String, BigDecimal> tokensPerAttempt,
            Map<String, BigDecimal> costPerToken) {

        static Factors of(Period own, Period other, TreeSet<String> names) {
            Map<String, BigDecimal> a = new LinkedHashMap<>();
            Map<String, BigDecimal> t = new LinkedHashMap<>();
            Map<String, BigDecimal> p = new LinkedHashMap<>();
            for (String m : names) {
                ModelFigures mine = own.models().get(m);
                ModelFigures used = mine != null && mine.attempts() > 0
                        ? mine
                        : other.models().get(m);
                a.put(
                        m,
                        mine == null || own.calls() == 0
                                ? BigDecimal.ZERO
                                : BigDecimal.valueOf(mine.attempts()).divide(BigDecimal.valueOf(own.calls()), MATH));
                t.put(
                        m,
                        used == null || used.attempts() == 0
                                ? BigDecimal.ZERO
                                : BigDecimal.valueOf(used.tokens()).divide(BigDecimal.valueOf(used.attempts()), MATH));
                p.put(
                        m,
                        used == null || used.tokens() == 0
                                ? BigDecimal.ZERO
                                : used.costUsd().divide(BigDecimal.valueOf(used.tokens()), MATH));
            }
            return new Factors(BigDecimal.valueOf(own.calls()), a, t, p);
        }
    }

    /** The drivers in the order pages show them. */
    public static List<Driver> shown() {
        return List.of(Driver.VOLUME, Driver.MIX, Driver.TOKENS, Driver.PRICE, Driver.OTHER);
    }
}
