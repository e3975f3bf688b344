package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertSignals.ScopeSpend;
import io.aiops.policy.domain.Money;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** DAILY_SPEND_ABOVE: spend of a project (or one of its workflows) today (UTC) above the rule's threshold; once a day per scope. */
final class DailySpendEvaluator implements ScheduledEvaluator {

    private final AlertSignals signals;
    private final AlertFiring firing;

    DailySpendEvaluator(AlertSignals signals, AlertFiring firing) {
        this.signals = signals;
        this.firing = firing;
    }

    @Override
    public AlertKind kind() {
        return AlertKind.DAILY_SPEND_ABOVE;
    }

    @Override
    public int evaluate(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        Instant dayStart = now.truncatedTo(ChronoUnit.DAYS);
        int fired = 0;
        for (ScopeSpend spend :
                signals.spend(rule.project(), rule.bpmnProcessId(), dayStart, dayStart.plus(1, ChronoUnit.DAYS))) {
            if (spend.costUsd().compareTo(rule.thresholdUsd()) <= 0) {
                continue;
            }
            String scope = "project:" + spend.project()
                    + (spend.bpmnProcessId() == null ? "" : "/workflow:" + spend.bpmnProcessId());
            Map<String, String> details = new LinkedHashMap<>();
            details.put("project", spend.project());
            if (spend.bpmnProcessId() != null) {
                details.put("bpmnProcessId", spend.bpmnProcessId());
            }
            details.put("spentUsd", Money.shown(spend.costUsd()).toPlainString());
            details.put("thresholdUsd", Money.shown(rule.thresholdUsd()).toPlainString());
            details.put("day", dayStart.atOffset(ZoneOffset.UTC).toLocalDate().toString());
            String message = "Spend of " + scope + " today (UTC) is " + details.get("spentUsd") + " USD, above "
                    + details.get("thresholdUsd") + " USD";
            if (firing.fire(stored, spend.project(), scope, details.get("day"), message, details, now)) {
                fired++;
            }
        }
        return fired;
    }
}
