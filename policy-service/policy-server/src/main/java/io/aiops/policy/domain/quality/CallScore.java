package io.aiops.policy.domain.quality;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One quality score of a recorded call, as the ledger keeps it: the answer it is about ({@code attemptNo}, null for the
 * call as a whole), what it says (a value 0..1, or a label), who gave it and with which version of their check, and
 * which API key recorded it when. {@code feedbackId} names the feedback it came with (null: with the call's outcome).
 */
public record CallScore(
        UUID callId,
        UUID feedbackId,
        Integer attemptNo,
        String name,
        ScoreType type,
        BigDecimal value,
        String label,
        ScoreSource source,
        String explanation,
        String scorerVersion,
        UUID recordedByKey,
        String recordedBy,
        Instant createdAt) {

    /** True for a boolean score that passed. */
    public boolean passed() {
        return type == ScoreType.BOOLEAN && value != null && value.signum() > 0;
    }
}
