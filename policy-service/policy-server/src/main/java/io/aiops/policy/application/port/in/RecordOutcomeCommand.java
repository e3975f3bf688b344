package io.aiops.policy.application.port.in;

import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Score;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a decision's call: every attempt's usage (priced by the server), scores and texts. The web adapter
 * has checked it against the Bean Validation rules of {@link io.aiops.policy.api.CallOutcome}; the rules that span
 * fields (cached within input tokens, reasoning within output tokens) are the use case's. {@code traceId} is the
 * worker's trace of the call (a checked W3C trace id) or null.
 */
public record RecordOutcomeCommand(
        List<AttemptCommand> attempts,
        Map<String, BigDecimal> qualityScores,
        String requestText,
        String responseText,
        List<Score> scores,
        String promptName,
        Integer promptVersion,
        String traceId) {

    public RecordOutcomeCommand {
        qualityScores = qualityScores == null ? Map.of() : Map.copyOf(qualityScores);
        scores = scores == null ? List.of() : List.copyOf(scores);
    }

    /** An outcome without {@link Score}s. */
    public RecordOutcomeCommand(
            List<AttemptCommand> attempts,
            Map<String, BigDecimal> qualityScores,
            String requestText,
            String responseText) {
        this(attempts, qualityScores, requestText, responseText, List.of(), null, null, null);
    }

    /** One attempt; missing token counts mean zero. */
    public record AttemptCommand(
            String provider,
            String model,
            Long inputTokens,
            Long cachedInputTokens,
            Long cacheWriteInputTokens,
            Long outputTokens,
            Long reasoningTokens,
            Long latencyMs,
            CallStatus status,
            String errorClass,
            Long cacheWrite1hInputTokens,
            String serviceTier) {}
}
