package io.aiops.connector.pipeline;

import java.time.Duration;

/**
 * A failure that may pass if the job runs again later (policy service unreachable, every candidate failed for a
 * transient reason). Hosts fail the job so the engine's retries and backoff apply; nothing here waits or loops.
 */
public class AiTaskRetryableException extends RuntimeException {

    /** The policy service could not be reached or answered 5xx/429. */
    public static final String POLICY_SERVICE_UNAVAILABLE = "POLICY_SERVICE_UNAVAILABLE";
    /** Every candidate model failed. */
    public static final String PROVIDERS_UNAVAILABLE = "PROVIDERS_UNAVAILABLE";
    /** The task's time limit or the job's deadline left no time for the next candidate model. */
    public static final String TIME_LIMIT_REACHED = "TIME_LIMIT_REACHED";

    /** The model answered but the outcome could not be recorded; the next delivery asks again. */
    public static final String OUTCOME_NOT_RECORDED = "OUTCOME_NOT_RECORDED";

    /** The longest wait a provider's Retry-After can impose on a job; longer ones are cut to this. */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final String code;
    private final Duration retryAfter;

    public AiTaskRetryableException(String code, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public String code() {
        return code;
    }

    /** The wait a provider asked for, or null when none was given. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * How long the job should wait before it runs again: the provider's Retry-After, at most {@link #MAX_BACKOFF}, or
     * {@code otherwise} when the provider asked for nothing. Both hosts fail the job with this back-off.
     */
    public Duration backoff(Duration otherwise) {
        if (retryAfter == null || retryAfter.isNegative()) {
            return otherwise;
        }
        return retryAfter.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : retryAfter;
    }
}
