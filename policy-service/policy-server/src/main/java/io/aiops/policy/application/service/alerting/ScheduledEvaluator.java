package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertSignals;
import java.time.Instant;
import java.util.List;

/** Evaluates the rules of one alert kind that are checked on a schedule, against the ledger. */
public interface ScheduledEvaluator {

    AlertKind kind();

    /** Fires what the rule's condition calls for now; returns how many alerts were new. */
    int evaluate(StoredRule rule, Instant now);

    /** One evaluator for each kind evaluated on a schedule. */
    static List<ScheduledEvaluator> all(AlertSignals signals, AlertFiring firing) {
        return List.of(
                new DailySpendEvaluator(signals, firing),
                new ErrorRateEvaluator(signals, firing),
                new NewModelEvaluator(signals, firing),
                new ModelShareJumpEvaluator(signals, firing),
                new QualityDropEvaluator(signals, firing),
                new PromptCostJumpEvaluator(signals, firing));
    }
}
