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

  /** A decision as stored: the request it answered (defaults applied) and the answer with reservation and call. */
  record StoredDecision(DecisionRequest request, Decision decision, Instant createdAt) {}

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

  /** Turns a just-inserted allowed decision into a denial (a budget had no room). */
  void markDenied(UUID decisionId, DenialReason reason, String message);

  /** Narrows a just-inserted allowed decision's failover chain (model budgets dropped some candidates). */
  void replaceCandidates(UUID decisionId, List<Decision.Candidate> candidates);
}
