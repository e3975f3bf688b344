package io.aiops.policy.api;

import java.util.List;
import java.util.UUID;

/**
 * The policy service's answer to a {@link DecisionRequest}: allowed or denied, the ordered failover candidates and the
 * budget reservation that covers the call. {@code settledCall} is set when this decision already has a recorded
 * outcome (a redelivered job), so the caller can reuse the answer instead of paying twice.
 */
public record Decision(
    UUID decisionId,
    boolean allowed,
    DenialReason reason,
    String reasonMessage,
    List<Candidate> candidates,
    BudgetReservation reservation,
    SettledCall settledCall) {

  public Decision {
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
  }

  /** One model the caller may try, in order. */
  public record Candidate(String provider, String model, int maxOutputTokens, long timeoutMs) {}
}
