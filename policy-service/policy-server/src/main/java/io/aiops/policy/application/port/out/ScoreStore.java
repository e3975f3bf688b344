package io.aiops.policy.application.port.out;

import io.aiops.policy.domain.quality.CallScore;
import io.aiops.policy.domain.quality.Feedback;
import io.aiops.policy.domain.quality.ScoredCall;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The quality scores of recorded calls and the feedback they came with: appended, never changed. */
public interface ScoreStore {

    /**
     * Appends the scores a call's outcome came with (none is fine; the call is already in the ledger) and counts the
     * call, with them, in the quality rollups, in this transaction.
     */
    void appendOutcomeScores(UUID callId, List<CallScore> scores);

    /**
     * Appends the scores of a feedback already stored and counts what the feedback changes for its call in the quality
     * rollups, in this transaction.
     */
    void appendFeedbackScores(Feedback feedback, List<CallScore> scores);

    /** The scores of these calls, each call's in the order they were recorded. */
    Map<UUID, List<CallScore>> scoresOf(Collection<UUID> callIds);

    /**
     * Stores the feedback unless the call has feedback with its idempotency key; false then (the insert waits for a
     * concurrent one with the same key, so the winner is readable afterwards).
     */
    boolean insertFeedbackIfAbsent(Feedback feedback);

    /** The feedback on {@code callId} with this idempotency key. */
    Optional<Feedback> feedbackByKey(UUID callId, String idempotencyKey);

    /** The call, if recorded. */
    Optional<ScoredCall> call(UUID callId);

    /** The call the element {@code elementId} of the process instance made last, if any. */
    Optional<ScoredCall> lastCallOf(long processInstanceKey, String elementId);
}
