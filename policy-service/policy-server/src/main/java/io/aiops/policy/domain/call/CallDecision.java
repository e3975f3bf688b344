package io.aiops.policy.domain.call;

import java.util.List;
import java.util.UUID;

/**
 * A decision about one AI call as it stands: allowed or denied (with the reason), the ordered failover candidates, the
 * reservation that covers the call (null when it holds nothing) and, once its outcome is recorded, the settled call.
 * What a caller is told on top (how to redact texts, what to call while the service is unavailable) is not part of it.
 */
public record CallDecision(
        UUID decisionId,
        boolean allowed,
        DenialReason reason,
        String reasonMessage,
        List<Candidate> candidates,
        Reservation reservation,
        SettledCall settledCall) {

    public CallDecision {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }
}
