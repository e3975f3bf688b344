package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_ATTEMPTS;
import static io.aiops.policy.api.RequestLimits.MAX_LATENCY_MS;
import static io.aiops.policy.api.RequestLimits.MAX_OUTCOME_SCORES;
import static io.aiops.policy.api.RequestLimits.MAX_SCORES;
import static io.aiops.policy.api.RequestLimits.MAX_TEXT_CHARS;
import static io.aiops.policy.api.RequestLimits.MAX_TOKENS;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What happened after a decision: every attempt made (failover shows as several), the scores of the answers, and the
 * request and response text. Token counts only: the server prices them from its catalog. {@code qualityScores} is the
 * older form of scores (name to number, kept with the call as given, not aggregated); {@code scores} is the current one.
 * {@code promptName} and {@code promptVersion} name the registered prompt version the request was built from.
 * {@code traceId} is the W3C trace id of the worker's span of this call (32 lowercase hex digits, not all zeros), so the
 * ledger row leads to the trace; absent when the worker does not trace.
 */
public record CallOutcome(
        @NotEmpty @Size(max = MAX_ATTEMPTS) List<@NotNull @Valid Attempt> attempts,
        @Size(max = MAX_SCORES) Map<@Name String, @NotNull BigDecimal> qualityScores,
        @Size(max = MAX_TEXT_CHARS) String requestText,
        @Size(max = MAX_TEXT_CHARS) String responseText,
        @Size(max = MAX_OUTCOME_SCORES) List<@NotNull @Valid Score> scores,
        @Name String promptName,
        @Positive Integer promptVersion,

        @Pattern(regexp = TRACE_ID, message = TRACE_ID_MESSAGE)
        String traceId) {

    /** A W3C trace id: 16 bytes as 32 lowercase hex digits; all zeros is the invalid trace id. */
    public static final String TRACE_ID = "^(?!0{32})[0-9a-f]{32}$";

    static final String TRACE_ID_MESSAGE = "must be a W3C trace id: 32 lowercase hex digits, not all zeros";

    public CallOutcome {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        qualityScores = qualityScores == null ? Map.of() : Map.copyOf(qualityScores);
        scores = scores == null ? List.of() : List.copyOf(scores);
    }

    /** An outcome in the older form, without {@link Score}s. */
    public CallOutcome(
            List<Attempt> attempts, Map<String, BigDecimal> qualityScores, String requestText, String responseText) {
        this(attempts, qualityScores, requestText, responseText, List.of());
    }

    /** An outcome of a call whose prompt came from no registered prompt. */
    public CallOutcome(
            List<Attempt> attempts,
            Map<String, BigDecimal> qualityScores,
            String requestText,
            String responseText,
            List<Score> scores) {
        this(attempts, qualityScores, requestText, responseText, scores, null, null, null);
    }

    /** This outcome, recorded against the prompt version {@code name@version} (null: none). */
    public CallOutcome withPrompt(String name, Integer version) {
        return new CallOutcome(attempts, qualityScores, requestText, responseText, scores, name, version, traceId);
    }

    /** This outcome, linked to the trace {@code traceId} (null: none). */
    public CallOutcome withTraceId(String traceId) {
        return new CallOutcome(
                attempts, qualityScores, requestText, responseText, scores, promptName, promptVersion, traceId);
    }

    /**
     * The error class of a FAILED attempt whose answer the worker's quality gate turned away: the provider answered
     * (and billed), the answer did not pass the task's checks.
     */
    public static final String QUALITY_GATE = "QUALITY_GATE";

    /**
     * One call to one model. {@code inputTokens} includes cached and cache-write tokens, and the cache writes include
     * {@code cacheWrite1hInputTokens} (written for an hour, dearer than 5-minute writes); {@code outputTokens} includes
     * reasoning tokens (the normalised usage every adapter produces). {@code serviceTier} is the tier the provider
     * reported billing the call at ({@code flex}, {@code priority}, ...); null or {@code default} is the plain price.
     */
    public record Attempt(
            @NotBlank @Name String provider,
            @NotBlank @Name String model,
            @PositiveOrZero @Max(MAX_TOKENS) Long inputTokens,
            @PositiveOrZero @Max(MAX_TOKENS) Long cachedInputTokens,
            @PositiveOrZero @Max(MAX_TOKENS) Long cacheWriteInputTokens,
            @PositiveOrZero @Max(MAX_TOKENS) Long outputTokens,
            @PositiveOrZero @Max(MAX_TOKENS) Long reasoningTokens,
            @PositiveOrZero @Max(MAX_LATENCY_MS) Long latencyMs,
            @NotNull CallStatus status,
            @Name String errorClass,
            @PositiveOrZero @Max(MAX_TOKENS) Long cacheWrite1hInputTokens,
            @Name String serviceTier) {

        /** An attempt without 1-hour cache writes, at the default service tier. */
        public Attempt(
                String provider,
                String model,
                Long inputTokens,
                Long cachedInputTokens,
                Long cacheWriteInputTokens,
                Long outputTokens,
                Long reasoningTokens,
                Long latencyMs,
                CallStatus status,
                String errorClass) {
            this(
                    provider,
                    model,
                    inputTokens,
                    cachedInputTokens,
                    cacheWriteInputTokens,
                    outputTokens,
                    reasoningTokens,
                    latencyMs,
                    status,
                    errorClass,
                    null,
                    null);
        }
    }
}
