package io.aiops.policy.application.port.out;

import io.aiops.policy.api.Decision;
import io.aiops.policy.api.Decision.Candidate;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.DenialReason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stores decisions, keyed by id and by idempotency key. */
public interface DecisionStore {

    /**
     * A decision as stored: the request it answered (defaults applied), the answer with reservation and call, the
     * reservation's status (null without one), and whether a worker took it on its own while this service was
     * unavailable (an unapproved call).
     */
    record StoredDecision(
            DecisionRequest request,
            Decision decision,
            Instant createdAt,
            ReservationStore.Status reservationStatus,
            boolean unapproved) {}

    /** The OPEN reservation of an allowed decision. */
    record NewReservation(UUID id, java.math.BigDecimal amountUsd, Instant expiresAt) {}

    /** A decision about to be stored. */
    record NewDecision(
            UUID id,
            DecisionRequest request,
            boolean allowed,
            DenialReason reason,
            String reasonMessage,
            List<Candidate> candidates,
            Instant createdAt) {}

    /**
     * A booking of an allowed decision in one call-budget window; the denial message, should the window have no room,
     * is {@code denialPrefix + remaining USD + denialSuffix}.
     */
    record Booking(String budgetId, Instant windowStart, Instant windowEnd, String denialPrefix, String denialSuffix) {}

    /**
     * An allowed decision with its reservation and the call-budget windows it books in, in lock order, routed with the
     * budget definitions of {@code budgetsVersion}.
     */
    record BookedDecision(
            NewDecision decision, NewReservation reservation, List<Booking> bookings, long budgetsVersion) {}

    /** What became of a {@link BookedDecision}. */
    enum BookingOutcome {
        /** Stored, reserved and booked in every window. */
        ALLOWED,
        /** Stored as a BUDGET_EXCEEDED denial: a HARD window had no room; nothing is held. */
        DENIED,
        /** Not stored: the idempotency key belongs to a decision stored before. */
        CONFLICT,
        /** Not stored: the budget definitions changed since the ones the decision was routed with; decide again. */
        STALE
    }

    /** The outcome of one booked decision, with the denial message when DENIED. */
    record BookingResult(BookingOutcome outcome, String denialMessage) {}

    /**
     * Stores and books {@code decisions} in their own transaction, in one round trip: each is checked against the
     * windows' committed figures and the decisions before it in the list, all windows locked in lock order. Results come
     * in the order of {@code decisions}. Must not be called inside another transaction.
     */
    List<BookingResult> book(List<BookedDecision> decisions);

    Optional<StoredDecision> findByIdempotencyKey(String idempotencyKey);

    Optional<StoredDecision> findById(UUID decisionId);

    /**
     * Inserts the decision unless one with its idempotency key exists; false when another request got there first
     * (the insert waits for that request's transaction, so the winner is readable afterwards).
     */
    boolean insertIfAbsent(NewDecision decision);

    /**
     * Inserts the allowed decision a worker took on its own while this service was unavailable, flagged unapproved,
     * unless one with its idempotency key exists; false then.
     */
    boolean insertUnapprovedIfAbsent(NewDecision decision);

    /** Turns a just-inserted allowed decision into a denial (a budget had no room). */
    void markDenied(UUID decisionId, DenialReason reason, String message);

    /** Narrows a just-inserted allowed decision's failover chain (model budgets dropped some candidates). */
    void replaceCandidates(UUID decisionId, List<Decision.Candidate> candidates);
}
