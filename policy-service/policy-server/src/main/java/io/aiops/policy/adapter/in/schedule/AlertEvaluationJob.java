package io.aiops.policy.adapter.in.schedule;

import io.aiops.policy.application.port.in.EvaluateAlertsUseCase;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Evaluates the scheduled alert rules every {@code aiops.alerts.evaluate-interval}. Every replica may run it: an
 * alert is recorded once per rule × subject × period whoever evaluates first.
 */
@Component
@ConditionalOnProperty(name = "aiops.alerts.evaluation-enabled", havingValue = "true", matchIfMissing = true)
class AlertEvaluationJob {

    private final EvaluateAlertsUseCase alerts;

    AlertEvaluationJob(EvaluateAlertsUseCase alerts) {
        this.alerts = alerts;
    }

    @Scheduled(
            fixedDelayString = "${aiops.alerts.evaluate-interval:PT1M}",
            initialDelayString = "${aiops.alerts.evaluate-interval:PT1M}")
    void evaluate() {
        alerts.evaluateScheduledRules();
    }
}
