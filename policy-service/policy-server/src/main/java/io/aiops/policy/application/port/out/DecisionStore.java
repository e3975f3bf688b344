package io.aiops.policy.application.port.out;

import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.domain.call.CallDecision;
import io.aiops.policy.domain.call.Candidate;
import io.aiops.policy.domain.call.DenialReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stores decisions, keyed by id and by idempotency key. */
public interface DecisionStore {

    /**
     * A decision as stored: the request it answered (defaults applied; its coordinates name no definition version or
     * tenant), the answer with reservation and call, the
     * reservation's status (null without one), and whether a worker took it on its own while this service was
     * unavailable (an unapproved call).
     */
    record StoredDecision(
            DecideCommand request,
            CallDecision decision,
            Instant createdAt,
            ReservationStore.Status reservationStatus,
            boolean unapproved) {}

    /** A decision about to be stored. */
    record NewDecision(
            UUID id,
            DecideCommand request,
            boolean allowed,
            DenialReason reason,
            String reasonMessage,
            List<Candidate> candidates,
            Instant createdAt) {}

    /**
     * A booking of an allowed decision in one budget window. A model budget's booking names its model
     * ({@code modelProvider} null: any provider) and holds the worst case of the candidates on it; a booking of a
     * budget that counts the whole call holds the worst case of the candidates kept. {@code amountUsd} is set only for a
     * redelivery, which holds the same amounts again. Should the window have no room, the denial message is
     * {@code denialPrefix + remaining USD + " USD left; this call may cost up to " + amount + " USD"}.
     */
    record Booking(
            String budgetId,
            Instant windowStart,
            Instant windowEnd,
            String denialPrefix,
            String modelProvider,
            String modelName,
            BigDecimal amountUsd) {

        /** A booking in a budget that counts the whole call. */
        public Booking(String budgetId, Instant windowStart, Instant windowEnd, String denialPrefix) {
            this(budgetId, windowStart, windowEnd, denialPrefix, null, null, null);
        }
    }

    /**
     * What one candidate of the failover chain adds: its worst-case cost and the longest the chain may run on it (its
     * timeout times the attempts, plus the waits between them).
     */
    record CandidateTerms(BigDecimal worstCaseUsd, Duration chainSpan) {}

    /**
     * An allowed decision to book, routed with the budget definitions of {@code budgetsVersion}: new (its reservation
     * gets {@code reservationId}), or a redelivery ({@code rehold}) of a stored decision whose reservation
     * {@code reservationId} expired. {@code terms} are its candidates' in chain order, {@code bookings} in lock order
     * ({@link ReservationStore#LOCK_ORDER}). The reservation lives {@code reservationTtl}, or as long as the kept chain
     * may run if that is longer, at most {@code maxChainLifetime}.
     */
    record BookedDecision(
            NewDecision decision,
            UUID reservationId,
            List<CandidateTerms> terms,
            List<Booking> bookings,
            long budgetsVersion,
            boolean rehold,
            Duration reservationTtl,
            Duration maxChainLifetime) {}

    /** What became of a {@link BookedDecision}. */
    enum BookingOutcome {
        /** Stored (or, for a redelivery, held again), reserved and booked in every window. */
        ALLOWED,
        /** A BUDGET_EXCEEDED denial: a HARD window had no room, or no candidate fit its model budget; nothing held. */
        DENIED,
        /** Not stored: the idempotency key belongs to a decision stored before. */
        CONFLICT,
        /** Not booked: the budget definitions changed since the ones the decision was routed with; decide again. */
        STALE,
        /** A redelivery found its reservation no longer expired, or its call recorded: nothing to hold again. */
        UNCHANGED
    }

    /**
     * The outcome of one booked decision: the denial message when DENIED; when ALLOWED the positions (0-based) of the
     * candidates kept when model budgets were looked at (null: the chain was kept whole), the amount reserved and when
     * it expires.
     */
    record BookingResult(
            BookingOutcome outcome,
            String denialMessage,
            List<Integer> keptCandidates,
            BigDecimal amountUsd,
            Instant expiresAt) {}

    /**
     * Stores and books {@code decisions} in their own transaction, in one round trip, the only way money is reserved for
     * a decision: each is checked against the windows' committed figures and the decisions before it in the list, all
     * windows locked in lock order. Results come
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
}
