package io.aiops.policy.application.port.out;

import io.aiops.policy.domain.LockOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stores budget reservations and the budget windows each one holds money in. */
public interface ReservationStore {

    /** Lifecycle of a reservation: OPEN until settled by an outcome, expired by time, or released. */
    enum Status {
        OPEN,
        SETTLED,
        EXPIRED,
        RELEASED
    }

    /**
     * Money a reservation holds in one budget window. A hold in a model budget names that model ({@code modelProvider}
     * null: any provider), so only the attempts on it are posted there when the call settles.
     */
    record Hold(String budgetId, Instant windowStart, BigDecimal amountUsd, String modelProvider, String modelName) {

        /** A hold in a budget that counts the whole call. */
        public Hold(String budgetId, Instant windowStart, BigDecimal amountUsd) {
            this(budgetId, windowStart, amountUsd, null, null);
        }

        /** True when an attempt on this model counts toward the hold's budget. */
        public boolean counts(String provider, String model) {
            return modelName == null
                    || (modelName.equals(model) && (modelProvider == null || modelProvider.equals(provider)));
        }
    }

    /**
     * Why a reservation's money moved: settled by its outcome, expired without one, an outcome after expiry, held again
     * for a redelivered job after expiry, or not held again because a budget had no room left.
     */
    enum EventKind {
        SETTLED,
        EXPIRED,
        LATE_OUTCOME,
        REHELD,
        REHOLD_DENIED
    }

    /**
     * The order every transaction locks budget window rows in: model budgets first, then the others, each by budget id
     * ({@link LockOrder#BUDGET_IDS}, the order SQL locks them in), then window start. Taking locks in one global order
     * means two transactions never wait for each other in a cycle.
     */
    Comparator<Hold> LOCK_ORDER = Comparator.comparing((Hold h) -> h.modelName() == null)
            .thenComparing(Hold::budgetId, LockOrder.BUDGET_IDS)
            .thenComparing(Hold::windowStart);

    /** A reservation with its holds. */
    record HeldReservation(
            UUID id, UUID decisionId, BigDecimal amountUsd, Status status, Instant expiresAt, List<Hold> holds) {}

    void insert(HeldReservation reservation, Instant createdAt);

    /** The reservation of a decision with its holds, as committed; no lock. */
    Optional<HeldReservation> findByDecision(UUID decisionId);

    /**
     * Locks the decision's reservation row until the transaction ends, so settling and expiring never overlap. Its
     * holds come in {@link #LOCK_ORDER}.
     */
    Optional<HeldReservation> lockByDecision(UUID decisionId);

    /**
     * Locks up to {@code limit} OPEN reservations expired at {@code now}, skipping rows another instance holds; holds in
     * {@link #LOCK_ORDER}.
     */
    List<HeldReservation> lockExpiredOpen(Instant now, int limit);

    void close(UUID reservationId, Status status, Instant closedAt);

    /**
     * Records that {@code reservedReleased} left the reserved figure and {@code spentPosted} was added to the spent
     * figure of every window the reservation holds money in.
     */
    void recordEvent(
            UUID reservationId,
            EventKind kind,
            BigDecimal reservedReleased,
            BigDecimal spentPosted,
            Instant occurredAt);
}
