package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_SCORES;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * Whether an AI call's work held up, told later: a reviewer accepted or corrected the answer, the customer reopened
 * the ticket. It names the call by {@code callId}, or by the process instance and the BPMN element id of the AI task
 * (the element's latest call then). The scores usually come from {@link ScoreSource#HUMAN} or
 * {@link ScoreSource#DOWNSTREAM}; rule scores come only with the call's outcome. {@code idempotencyKey} makes a
 * repeated post (a feedback task delivered twice) record nothing new.
 */
public record CallFeedback(
        UUID callId,
        @Positive Long processInstanceKey,
        @Name String elementId,
        @Name String idempotencyKey,
        @NotEmpty @Size(max = MAX_SCORES) List<@NotNull @Valid Score> scores) {

    public CallFeedback {
        scores = scores == null ? List.of() : List.copyOf(scores);
    }

    /** Feedback on the call {@code callId}. */
    public static CallFeedback onCall(UUID callId, String idempotencyKey, List<Score> scores) {
        return new CallFeedback(callId, null, null, idempotencyKey, scores);
    }

    /** Feedback on the latest call of the AI task {@code elementId} in the process instance. */
    public static CallFeedback onElement(
            long processInstanceKey, String elementId, String idempotencyKey, List<Score> scores) {
        return new CallFeedback(null, processInstanceKey, elementId, idempotencyKey, scores);
    }
}
