package io.aiops.policy.api;

import java.util.List;
import java.util.UUID;

/**
 * The policy service's answer to a {@link DecisionRequest}: allowed or denied, the ordered failover candidates and the
 * budget reservation that covers the call. {@code settledCall} is set when this decision already has a recorded
 * outcome (a redelivered job), so the caller can reuse the answer instead of paying twice. {@code redaction} says how
 * the caller must treat request and response text before reporting them (null: keep it as is).
 */
public record Decision(
    UUID decisionId,
    boolean allowed,
    DenialReason reason,
    String reasonMessage,
    List<Candidate> candidates,
    BudgetReservation reservation,
    SettledCall settledCall,
    TextRedaction redaction) {

  public Decision {
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
  }

  /** A decision without redaction instructions (text is kept as sent). */
  public Decision(
      UUID decisionId,
      boolean allowed,
      DenialReason reason,
      String reasonMessage,
      List<Candidate> candidates,
      BudgetReservation reservation,
      SettledCall settledCall) {
    this(decisionId, allowed, reason, reasonMessage, candidates, reservation, settledCall, null);
  }

  /** This decision with the redaction the caller must apply to the texts it reports. */
  public Decision withRedaction(TextRedaction textRedaction) {
    return new Decision(decisionId, allowed, reason, reasonMessage, candidates, reservation, settledCall, textRedaction);
  }

  /** One model the caller may try, in order. */
  public record Candidate(String provider, String model, int maxOutputTokens, long timeoutMs) {}
}
