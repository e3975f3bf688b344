package io.aiops.policy.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An alert a rule raised, once per rule × subject × period ({@code subject} names what it is about, e.g.
 * {@code budget:b1}; {@code period} the window it holds for, e.g. a UTC day), with the state of its deliveries.
 * {@code deliveryState} sums them up: NONE without channels, DELIVERED when every channel was, FAILED when one gave
 * up, PENDING otherwise.
 */
public record FiredAlert(
        UUID id,
        String ruleId,
        AlertRule.AlertKind kind,
        String project,
        String subject,
        String period,
        String message,
        Map<String, String> details,
        Instant firedAt,
        DeliveryState deliveryState,
        List<Delivery> deliveries) {

    @JsonCreator
    public FiredAlert {
        details = details == null ? Map.of() : Map.copyOf(details);
        deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
    }

    /** Where an alert goes and how far it got. */
    public enum DeliveryState {
        NONE,
        PENDING,
        DELIVERED,
        FAILED
    }

    /** One channel's delivery: attempts made, when the next is due, the last error. */
    public record Delivery(
            String channel,
            String target,
            DeliveryState state,
            int attempts,
            Instant nextAttemptAt,
            String lastError,
            Instant deliveredAt) {}
}
