package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertSignals.AttemptCounts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** ERROR_RATE_ABOVE: the share of failed attempts in the rule's window above its threshold, given at least its minimum of attempts; once per window (aligned to the epoch) per subject. */
final class ErrorRateEvaluator implements ScheduledEvaluator {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final AlertSignals signals;
    private final AlertFiring firing;

    ErrorRateEvaluator(AlertSignals signals, AlertFiring firing) {
        this.signals = signals;
        this.firing = firing;
    }

    @Override
    public AlertKind kind() {
        return AlertKind.ERROR_RATE_ABOVE;
    }

    @Override
    public int evaluate(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        Duration window = Duration.parse(rule.window());
        Instant bucket = AlertFiring.windowStart(now, window);
        boolean narrowed = rule.provider() != null || rule.model() != null;
        int fired = 0;
        for (AttemptCounts counts :
                signals.attempts(rule.project(), rule.provider(), rule.model(), now.minus(window), now)) {
            if (counts.attempts() < rule.minAttempts()) {
                continue;
            }
            // failed / attempts * 100 > threshold, exactly, without dividing
            BigDecimal failedPercentTimesAttempts =
                    BigDecimal.valueOf(counts.failed()).multiply(HUNDRED);
            if (failedPercentTimesAttempts.compareTo(
                            rule.thresholdPercent().multiply(BigDecimal.valueOf(counts.attempts())))
                    <= 0) {
                continue;
            }
            String subject = narrowed
                    ? (counts.project() == null ? "" : "project:" + counts.project() + "/")
                            + (rule.model() != null
                                    ? "model:" + (rule.provider() == null ? "" : rule.provider() + "/") + rule.model()
                                    : "provider:" + rule.provider())
                    : "project:" + counts.project();
            BigDecimal rate = BigDecimal.valueOf(counts.failed())
                    .multiply(HUNDRED)
                    .divide(BigDecimal.valueOf(counts.attempts()), 1, RoundingMode.HALF_UP);
            Map<String, String> details = new LinkedHashMap<>();
            if (counts.project() != null) {
                details.put("project", counts.project());
            }
            details.put("attempts", String.valueOf(counts.attempts()));
            details.put("failed", String.valueOf(counts.failed()));
            details.put("errorRatePercent", rate.toPlainString());
            details.put("thresholdPercent", rule.thresholdPercent().toPlainString());
            details.put("window", rule.window());
            String message =
                    "Error rate of " + subject + " is " + rate.toPlainString() + " % (" + counts.failed() + " of "
                            + counts.attempts() + " attempts failed in the last " + rule.window() + "), above "
                            + rule.thresholdPercent().toPlainString() + " %";
            if (firing.fire(stored, counts.project(), subject, bucket + "/" + rule.window(), message, details, now)) {
                fired++;
            }
        }
        return fired;
    }
}
