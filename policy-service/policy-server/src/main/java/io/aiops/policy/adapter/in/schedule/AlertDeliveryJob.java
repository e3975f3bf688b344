package io.aiops.policy.adapter.in.schedule;

import io.aiops.policy.application.port.in.DeliverAlertsUseCase;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Works off the alert outbox every {@code aiops.alerts.deliver-interval}. Every replica may run it: each claims the
 * deliveries it posts, so none is posted by two at once.
 */
@Component
@ConditionalOnProperty(name = "aiops.alerts.delivery-enabled", havingValue = "true", matchIfMissing = true)
class AlertDeliveryJob {

    private final DeliverAlertsUseCase deliveries;

    AlertDeliveryJob(DeliverAlertsUseCase deliveries) {
        this.deliveries = deliveries;
    }

    @Scheduled(
            fixedDelayString = "${aiops.alerts.deliver-interval:PT10S}",
            initialDelayString = "${aiops.alerts.deliver-interval:PT10S}")
    void deliver() {
        // a batch at a time until nothing is due, so a backlog drains without waiting an interval per batch
        int delivered;
        do {
            delivered = deliveries.deliverDue();
        } while (delivered > 0);
    }
}
