package io.aiops.policy.application.port.out;

import io.aiops.policy.api.FiredAlert;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Fired alerts and the outbox of their deliveries. */
public interface AlertStore {

    /** A delivery to create with the alert: channel name and target (URL, message name). */
    record NewDelivery(String channel, String target) {}

    /** A delivery claimed for one attempt, with its alert and the attempts made before this one. */
    record DueDelivery(FiredAlert alert, String channel, String target, int attemptsBefore) {}

    /**
     * Inserts the alert and its deliveries (first due at the alert's fire time) unless the rule already fired for this
     * subject and period; false when it had. Safe with concurrent callers on several replicas: one insert wins.
     */
    boolean recordIfNew(FiredAlert alert, List<NewDelivery> deliveries);

    /**
     * Claims up to {@code limit} pending deliveries due at {@code now} by moving their next attempt to
     * {@code leaseUntil}, so no other deliverer takes them meanwhile; a deliverer that dies before recording the result
     * leaves the row to be retried when the lease ends.
     */
    List<DueDelivery> claimDue(Instant now, Instant leaseUntil, int limit);

    /** Marks a pending delivery DELIVERED after its {@code attempts}-th attempt. */
    void delivered(UUID alertId, String channel, int attempts, Instant at);

    /** Records a failed attempt: the delivery stays PENDING until {@code nextAttemptAt}, or FAILED when that is null. */
    void attemptFailed(UUID alertId, String channel, int attempts, String error, Instant nextAttemptAt);

    /**
     * Alerts fired in [from, to) about the given projects (empty: all, including organisation-wide ones), newest first,
     * only those whose overall delivery state is {@code state} unless it is null.
     */
    List<FiredAlert> list(Instant from, Instant to, List<String> projects, FiredAlert.DeliveryState state);
}
