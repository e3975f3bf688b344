package io.aiops.policy.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * The policy service's answer to a {@link DecisionRequest}: allowed or denied, the ordered failover candidates and the
 * budget reservation that covers the call. {@code settledCall} is set when this decision already has a recorded
 * outcome (a redelivered job), so the caller can reuse the answer instead of paying twice. {@code redaction} says how
 * the caller must treat request and response text before reporting them (null: keep it as is). {@code failOpen} is
 * set when the project lets workers call a model while the policy service is unavailable
 * ({@link OnPolicyUnavailable#FAIL_OPEN_CAPPED}): the terms a worker remembers for that time; null means RETRY.
 */
public record Decision(
        UUID decisionId,
        boolean allowed,
        DenialReason reason,
        String reasonMessage,
        List<Candidate> candidates,
        BudgetReservation reservation,
        SettledCall settledCall,
        TextRedaction redaction,
        FailOpen failOpen) {

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
        this(decisionId, allowed, reason, reasonMessage, candidates, reservation, settledCall, null, null);
    }

    /** This decision with the redaction the caller must apply to the texts it reports. */
    public Decision withRedaction(TextRedaction textRedaction) {
        return new Decision(
                decisionId,
                allowed,
                reason,
                reasonMessage,
                candidates,
                reservation,
                settledCall,
                textRedaction,
                failOpen);
    }

    /** This decision with the terms of calls made while the policy service is unavailable (null: none allowed). */
    public Decision withFailOpen(FailOpen terms) {
        return new Decision(
                decisionId, allowed, reason, reasonMessage, candidates, reservation, settledCall, redaction, terms);
    }

    /** One model the caller may try, in order. */
    public record Candidate(String provider, String model, int maxOutputTokens, long timeoutMs) {}

    /**
     * What a worker may call while the policy service is unavailable: the model, and the dearest price per input and
     * per output token it can bill (any tier, cache write or service tier), so the worker can bound what its unapproved
     * calls cost against its local cap without the catalog.
     */
    public record FailOpen(Candidate candidate, BigDecimal inputUsdPerToken, BigDecimal outputUsdPerToken) {

        /** The most a call with these token counts can cost at these prices. */
        public BigDecimal worstCase(long inputTokens, long outputTokens) {
            return inputUsdPerToken
                    .multiply(BigDecimal.valueOf(inputTokens))
                    .add(outputUsdPerToken.multiply(BigDecimal.valueOf(outputTokens)));
        }
    }
}
