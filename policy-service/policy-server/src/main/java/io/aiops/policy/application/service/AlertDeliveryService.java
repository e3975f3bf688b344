package io.aiops.policy.application.service;

import io.aiops.policy.application.port.in.DeliverAlertsUseCase;
import io.aiops.policy.application.port.out.AlertChannel;
import io.aiops.policy.application.port.out.AlertStore;
import io.aiops.policy.application.port.out.AlertStore.DueDelivery;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works off the alert outbox: claims due deliveries (a lease, so replicas never post one at the same time), posts
 * each to its channel and records the result. At least once: a deliverer that dies between posting and recording
 * leaves the claim to run out and the alert is posted again. Never again after a recorded success.
 */
public class AlertDeliveryService implements DeliverAlertsUseCase {

    private static final Logger LOG = LoggerFactory.getLogger(AlertDeliveryService.class);
    private static final int MAX_ERROR = 1000;

    private final AlertStore alerts;
    private final Map<String, AlertChannel> channels;
    private final AlertDeliverySettings settings;
    private final Clock clock;

    public AlertDeliveryService(
            AlertStore alerts, List<AlertChannel> channels, AlertDeliverySettings settings, Clock clock) {
        this.alerts = alerts;
        this.channels =
                channels.stream().collect(Collectors.toUnmodifiableMap(AlertChannel::name, Function.identity()));
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public int deliverDue() {
        Instant now = clock.instant();
        int delivered = 0;
        for (DueDelivery due : alerts.claimDue(now, now.plus(settings.lease()), settings.batchSize())) {
            int attempts = due.attemptsBefore() + 1;
            try {
                AlertChannel channel = channels.get(due.channel());
                if (channel == null) {
                    throw new AlertChannel.DeliveryFailed(
                            "channel " + due.channel() + " is not configured on this server");
                }
                channel.deliver(due.alert(), due.target());
                alerts.delivered(due.alert().id(), due.channel(), attempts, clock.instant());
                delivered++;
            } catch (RuntimeException e) {
                String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                error = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
                Instant failedAt = clock.instant();
                Instant next =
                        attempts >= settings.maxAttempts() ? null : failedAt.plus(settings.backoffAfter(attempts));
                alerts.attemptFailed(due.alert().id(), due.channel(), attempts, error, next);
                if (next == null) {
                    LOG.warn(
                            "Alert {} gave up on {} {} after {} attempts: {}",
                            due.alert().id(),
                            due.channel(),
                            due.target(),
                            attempts,
                            error);
                } else {
                    LOG.info(
                            "Alert {} delivery to {} failed (attempt {}), next at {}: {}",
                            due.alert().id(),
                            due.channel(),
                            attempts,
                            next,
                            error);
                }
            }
        }
        return delivered;
    }
}
