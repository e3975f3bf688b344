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
   * A decision as stored: the request it answered (defaults applied), the answer with reservation and call, and the
   * reservation's status (null without one).
   */
  record StoredDecision(
      DecisionRequest request, Decision decision, Instant createdAt, ReservationStore.Status reservationStatus) {}

  /** The reservation row written together with an allowed decision, before any money is booked in it. */
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

  Optional<StoredDecision> findByIdempotencyKey(String idempotencyKey);

  Optional<StoredDecision> findById(UUID decisionId);

  /**
   * Inserts the decision unless one with its idempotency key exists; false when another request got there first
   * (the insert waits for that request's transaction, so the winner is readable afterwards).
   */
  boolean insertIfAbsent(NewDecision decision);

  /**
   * As {@link #insertIfAbsent(NewDecision)}, and when the decision is inserted also its (still empty) OPEN reservation,
   * in one round trip.
   */
  boolean insertIfAbsent(NewDecision decision, NewReservation reservation);

  /** Turns a just-inserted allowed decision into a denial (a budget had no room). */
  void markDenied(UUID decisionId, DenialReason reason, String message);

  /** Narrows a just-inserted allowed decision's failover chain (model budgets dropped some candidates). */
  void replaceCandidates(UUID decisionId, List<Decision.Candidate> candidates);
}
