package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertSignals.PassCounts;
import io.aiops.policy.domain.quality.PassRateDrop;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * QUALITY_DROP: per workflow, element, model and boolean score, the pass rate in the rule's window against the 7 days
 * before it ({@link PassRateDrop}); once per window (aligned to the epoch) per subject.
 */
final class QualityDropEvaluator implements ScheduledEvaluator {

    /** The baseline the recent window is compared with: the days just before it. */
    static final Duration BASELINE = Duration.ofDays(7);

    private final AlertSignals signals;
    private final AlertFiring firing;

    QualityDropEvaluator(AlertSignals signals, AlertFiring firing) {
        this.signals = signals;
        this.firing = firing;
    }

    @Override
    public AlertKind kind() {
        return AlertKind.QUALITY_DROP;
    }

    @Override
    public int evaluate(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        Duration window = Duration.parse(rule.window());
        Instant bucket = AlertFiring.windowStart(now, window);
        Instant windowStart = now.minus(window);
        Map<List<String>, PassCounts> baseline = new HashMap<>();
        for (PassCounts counts : passCounts(rule, windowStart.minus(BASELINE), windowStart)) {
            baseline.put(key(counts), counts);
        }
        int fired = 0;
        for (PassCounts recent : passCounts(rule, windowStart, now)) {
            PassCounts before = baseline.get(key(recent));
            if (before == null) {
                continue;
            }
            PassRateDrop.Verdict verdict = PassRateDrop.test(
                    before.scores(),
                    before.passed(),
                    recent.scores(),
                    recent.passed(),
                    rule.minCalls(),
                    rule.thresholdPercent());
            if (!verdict.drop()) {
                continue;
            }
            String subject = "workflow:" + recent.bpmnProcessId() + "/element:" + recent.elementId() + "/model:"
                    + recent.provider() + "/" + recent.model() + "/score:" + recent.scoreName();
            Map<String, String> details = new LinkedHashMap<>();
            details.put("project", recent.project());
            details.put("bpmnProcessId", recent.bpmnProcessId());
            details.put("elementId", recent.elementId());
            details.put("provider", recent.provider());
            details.put("model", recent.model());
            details.put("scoreName", recent.scoreName());
            details.put("recentPassRatePercent", verdict.recentPercent().toPlainString());
            details.put("recentScores", String.valueOf(recent.scores()));
            details.put("baselinePassRatePercent", verdict.baselinePercent().toPlainString());
            details.put("baselineScores", String.valueOf(before.scores()));
            details.put("dropPoints", verdict.dropPoints().toPlainString());
            details.put("z", String.format(Locale.ROOT, "%.2f", verdict.z()));
            details.put("window", rule.window());
            String message = "Quality of " + recent.model() + " in " + recent.bpmnProcessId() + "/"
                    + recent.elementId() + " dropped: " + recent.scoreName() + " passed "
                    + verdict.recentPercent().toPlainString() + " % of " + recent.scores() + " answers in the last "
                    + rule.window() + ", against " + verdict.baselinePercent().toPlainString() + " % of "
                    + before.scores() + " in the 7 days before (z = " + details.get("z") + ", one-sided p < 0.01)";
            if (firing.fire(stored, recent.project(), subject, bucket + "/" + rule.window(), message, details, now)) {
                fired++;
            }
        }
        return fired;
    }

    private List<PassCounts> passCounts(AlertRule rule, Instant from, Instant to) {
        return signals.passCounts(
                rule.project(), rule.bpmnProcessId(), rule.provider(), rule.model(), rule.scoreName(), from, to);
    }

    private static List<String> key(PassCounts c) {
        return List.of(
                String.valueOf(c.project()),
                String.valueOf(c.bpmnProcessId()),
                String.valueOf(c.elementId()),
                c.provider(),
                c.model(),
                c.scoreName());
    }
}
