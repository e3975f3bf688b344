package io.aiops.simulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The faults a running simulator injects; thread-safe and changeable at run time. Rules are tried in the order they
 * were added; the first that fires decides the request's fault. Rate rules draw from a random generator seeded with
 * the configured seed (reseeded by {@link #clear()}), so a run is repeatable; time-window rules read the simulator's
 * clock, so tests move it instead of waiting.
 */
public final class FaultPlan {

    private final long seed;
    private final Clock clock;
    private final List<ActiveRule> rules = new ArrayList<>();
    private Random random;

    FaultPlan(long seed, List<FaultRule> initial, Clock clock) {
        this.seed = seed;
        this.clock = clock;
        this.random = new Random(seed);
        initial.forEach(this::add);
    }

    /** Adds a rule after the existing ones. */
    public synchronized void add(FaultRule rule) {
        rules.add(new ActiveRule(rule, rule.count()));
    }

    /** Removes every rule and reseeds the random generator. */
    public synchronized void clear() {
        rules.clear();
        random = new Random(seed);
    }

    /** The rules still active, with the remaining count of "next N" rules as their count. */
    public synchronized List<FaultRule> rules() {
        List<FaultRule> view = new ArrayList<>();
        for (ActiveRule r : rules) {
            view.add(
                    r.rule.mode() == FaultRule.Mode.NEXT_N
                            ? FaultRule.next(r.rule.modelPattern(), r.rule.kind(), r.remaining)
                            : r.rule);
        }
        return view;
    }

    /** Decides the fault for one request to {@code model}, consuming "next N" budgets. */
    synchronized Optional<FaultKind> decide(String model) {
        Iterator<ActiveRule> it = rules.iterator();
        while (it.hasNext()) {
            ActiveRule active = it.next();
            FaultRule rule = active.rule;
            if (!rule.matches(model) || !rule.activeAt(clock.instant())) {
                continue;
            }
            switch (rule.mode()) {
                case ALWAYS, WINDOW -> {
                    return Optional.of(rule.kind());
                }
                case NEXT_N -> {
                    active.remaining--;
                    if (active.remaining <= 0) {
                        it.remove();
                    }
                    return Optional.of(rule.kind());
                }
                case RATE -> {
                    if (random.nextDouble() * 100 < rule.ratePercent()) {
                        return Optional.of(rule.kind());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static final class ActiveRule {
        final FaultRule rule;
        int remaining;

        ActiveRule(FaultRule rule, int remaining) {
            this.rule = rule;
            this.remaining = remaining;
        }
    }
}
