package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertStore;
import io.aiops.policy.application.port.out.AlertStore.NewDelivery;
import io.aiops.policy.application.service.AlertChannels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an alert once per rule × subject × period (the store's unique key decides between evaluations and
 * replicas), with one delivery per channel its rule names.
 */
public final class AlertFiring {

    private static final Logger LOG = LoggerFactory.getLogger(AlertFiring.class);

    private final AlertStore alerts;

    public AlertFiring(AlertStore alerts) {
        this.alerts = alerts;
    }

    /** True when the alert is new (and recorded), false when this rule fired it for the subject and period before. */
    public boolean fire(
            StoredRule stored,
            String project,
            String subject,
            String period,
            String message,
            Map<String, String> details,
            Instant now) {
        AlertRule rule = stored.rule();
        List<NewDelivery> deliveries = new ArrayList<>();
        if (rule.webhookUrl() != null) {
            deliveries.add(new NewDelivery(AlertChannels.WEBHOOK, rule.webhookUrl()));
        }
        if (rule.zeebeMessageName() != null) {
            deliveries.add(new NewDelivery(AlertChannels.ZEEBE, rule.zeebeMessageName()));
        }
        FiredAlert alert = new FiredAlert(
                UUID.randomUUID(),
                rule.id(),
                rule.kind(),
                project,
                subject,
                period,
                message,
                details,
                now,
                deliveries.isEmpty() ? FiredAlert.DeliveryState.NONE : FiredAlert.DeliveryState.PENDING,
                List.of());
        boolean recorded = alerts.recordIfNew(alert, deliveries);
        if (recorded) {
            LOG.info("Alert {} fired by rule {}: {}", alert.id(), rule.id(), message);
        }
        return recorded;
    }

    /** The subject of alerts about one model in one workflow. */
    static String workflowModel(String project, String bpmnProcessId, String model) {
        return "project:" + project + "/workflow:" + bpmnProcessId + "/model:" + model;
    }

    /**
     * The start of the window of {@code length} that holds {@code now}, windows aligned to the epoch: a lasting
     * condition is reported once per window, not at every evaluation.
     */
    static java.time.Instant windowStart(java.time.Instant now, java.time.Duration length) {
        long epoch = now.getEpochSecond();
        return java.time.Instant.ofEpochSecond(epoch - Math.floorMod(epoch, length.getSeconds()));
    }
}
