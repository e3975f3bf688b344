package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.out.AlertRuleStore;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertSignals.UsageGroup;
import io.aiops.policy.application.port.out.AlertStore;
import io.aiops.policy.domain.ModelPricing;
import io.aiops.policy.domain.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * PRICE_CHANGED: when a model's catalog price changes, each project whose workflows used the model in the last 7
 * days learns what the change does to it: the workflows, their calls, and last week's usage priced at the old and the
 * new price (exactly: usage is summed only over attempts the two prices bill alike, by service tier and by side of
 * each long-context threshold). One alert per rule, project, model and price version.
 */
public class PriceChangeAlerts {

    /** The volume a change is measured against. */
    static final Duration VOLUME = Duration.ofDays(7);

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final AlertRuleStore rules;
    private final AlertSignals signals;
    private final AlertFiring firing;
    private final Clock clock;

    public PriceChangeAlerts(AlertRuleStore rules, AlertStore alerts, AlertSignals signals, Clock clock) {
        this.rules = rules;
        this.signals = signals;
        this.firing = new AlertFiring(alerts);
        this.clock = clock;
    }

    /** Last week's figures of one workflow. */
    private static final class Effect {
        long calls;
        BigDecimal before = BigDecimal.ZERO;
        BigDecimal after = BigDecimal.ZERO;
    }

    /** Call in the transaction that changed the price; returns the alerts fired. */
    public int priceChanged(ModelPrice before, ModelPrice after) {
        List<StoredRule> watching = rules.findByKinds(List.of(AlertKind.PRICE_CHANGED)).stream()
                .filter(r -> r.rule().provider() == null || r.rule().provider().equals(after.provider()))
                .filter(r -> r.rule().model() == null || r.rule().model().equals(after.model()))
                .toList();
        if (watching.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        Set<Long> thresholds = new HashSet<>();
        for (ModelPrice price : List.of(before, after)) {
            if (price.tierThresholdInputTokens() != null) {
                thresholds.add(price.tierThresholdInputTokens());
            }
        }
        ModelPricing old = new ModelPricing(before);
        ModelPricing current = new ModelPricing(after);
        // project -> workflow -> effect
        Map<String, Map<String, Effect>> byProject = new TreeMap<>();
        for (UsageGroup group : signals.usage(after.provider(), after.model(), thresholds, now.minus(VOLUME), now)) {
            Effect effect = byProject
                    .computeIfAbsent(group.project(), p -> new TreeMap<>())
                    .computeIfAbsent(group.bpmnProcessId() == null ? "" : group.bpmnProcessId(), w -> new Effect());
            effect.calls += group.attempts();
            effect.before = effect.before.add(old.costOf(group.usage(), above(before, group)));
            effect.after = effect.after.add(current.costOf(group.usage(), above(after, group)));
        }
        int fired = 0;
        for (Map.Entry<String, Map<String, Effect>> project : byProject.entrySet()) {
            for (StoredRule stored : watching) {
                AlertRule rule = stored.rule();
                if (rule.project() != null && !rule.project().equals(project.getKey())) {
                    continue;
                }
                Map<String, Effect> workflows = new TreeMap<>(project.getValue());
                if (rule.bpmnProcessId() != null) {
                    workflows.keySet().retainAll(Set.of(rule.bpmnProcessId()));
                }
                if (workflows.isEmpty()) {
                    continue;
                }
                Map<String, String> details = details(before, after, workflows);
                if (firing.fire(
                        stored,
                        project.getKey(),
                        "price:" + after.provider() + "/" + after.model(),
                        "version:" + after.version(),
                        message(before, after, workflows, details),
                        details,
                        now)) {
                    fired++;
                }
            }
        }
        return fired;
    }

    private static boolean above(ModelPrice price, UsageGroup group) {
        return price.tierThresholdInputTokens() != null
                && group.aboveThresholds().contains(price.tierThresholdInputTokens());
    }

    private static String message(
            ModelPrice before, ModelPrice after, Map<String, Effect> workflows, Map<String, String> details) {
        List<String> named = new ArrayList<>();
        workflows.forEach((workflow, effect) ->
                named.add((workflow.isEmpty() ? "(no workflow)" : workflow) + " (" + effect.calls + " attempts)"));
        return "Price of " + after.provider() + "/" + after.model() + " changed (version " + before.version() + " → "
                + after.version() + (after.source() == null ? "" : ", " + after.source()) + "): at last week's volume "
                + String.join(", ", named) + " would cost " + details.get("costAtNewPriceUsd") + " USD instead of "
                + details.get("costLastWeekUsd") + " USD (" + details.get("effectUsd") + " USD"
                + percent(
                        new BigDecimal(details.get("costLastWeekUsd")),
                        new BigDecimal(details.get("costAtNewPriceUsd")))
                + ")";
    }

    private static Map<String, String> details(ModelPrice before, ModelPrice after, Map<String, Effect> workflows) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("provider", after.provider());
        details.put("model", after.model());
        details.put("versionBefore", String.valueOf(before.version()));
        details.put("versionAfter", String.valueOf(after.version()));
        if (after.source() != null) {
            details.put("source", after.source());
        }
        details.put("workflows", String.join(",", workflows.keySet()));
        BigDecimal was = BigDecimal.ZERO;
        BigDecimal is = BigDecimal.ZERO;
        long calls = 0;
        for (Effect effect : workflows.values()) {
            was = was.add(effect.before);
            is = is.add(effect.after);
            calls += effect.calls;
        }
        details.put("attemptsLastWeek", String.valueOf(calls));
        details.put("costLastWeekUsd", Money.shown(was).toPlainString());
        details.put("costAtNewPriceUsd", Money.shown(is).toPlainString());
        details.put("effectUsd", signed(is.subtract(was)));
        return details;
    }

    private static String signed(BigDecimal amount) {
        String shown = Money.shown(amount).toPlainString();
        return amount.signum() > 0 ? "+" + shown : shown;
    }

    private static String percent(BigDecimal was, BigDecimal is) {
        if (was.signum() == 0) {
            return "";
        }
        BigDecimal change = is.subtract(was).multiply(HUNDRED).divide(was, 1, RoundingMode.HALF_EVEN);
        return ", " + (change.signum() > 0 ? "+" : "") + change.toPlainString() + " %";
    }
}
