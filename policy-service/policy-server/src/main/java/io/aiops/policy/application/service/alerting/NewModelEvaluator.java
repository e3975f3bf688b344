package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertSignals.FirstUse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** NEW_MODEL_FOR_WORKFLOW: a workflow used a model for the first time since the rule was created; once ever per workflow and model. */
final class NewModelEvaluator implements ScheduledEvaluator {

    private final AlertSignals signals;
    private final AlertFiring firing;

    NewModelEvaluator(AlertSignals signals, AlertFiring firing) {
        this.signals = signals;
        this.firing = firing;
    }

    @Override
    public AlertKind kind() {
        return AlertKind.NEW_MODEL_FOR_WORKFLOW;
    }

    @Override
    public int evaluate(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        int fired = 0;
        for (FirstUse use : signals.firstUsesSince(rule.project(), rule.bpmnProcessId(), stored.createdAt())) {
            String model = use.provider() + "/" + use.model();
            Map<String, String> details = new LinkedHashMap<>();
            details.put("project", use.project());
            details.put("bpmnProcessId", use.bpmnProcessId());
            details.put("provider", use.provider());
            details.put("model", use.model());
            details.put("firstUsedAt", use.firstUsedAt().toString());
            String message = "Workflow " + use.bpmnProcessId() + " of project " + use.project() + " used model " + model
                    + " for the first time at " + use.firstUsedAt();
            // once ever per workflow and model
            if (firing.fire(
                    stored,
                    use.project(),
                    AlertFiring.workflowModel(use.project(), use.bpmnProcessId(), model),
                    "first-use",
                    message,
                    details,
                    now)) {
                fired++;
            }
        }
        return fired;
    }
}
