package io.aiops.providers;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/** Wait functions between retries of a provider call. */
public final class RetryWaits {

    private RetryWaits() {}

    /**
     * Exponential backoff with jitter from the settings; when the failure carries the provider's Retry-After, the wait
     * is at least that long.
     */
    public static IntervalBiFunction<CompletionResponse> backoffHonouringRetryAfter(ResilienceSettings settings) {
        IntervalFunction backoff = settings.jitter() > 0
                ? IntervalFunction.ofExponentialRandomBackoff(
                        settings.initialBackoff(),
                        settings.backoffMultiplier(),
                        settings.jitter(),
                        settings.maxBackoff())
                : IntervalFunction.ofExponentialBackoff(
                        settings.initialBackoff(), settings.backoffMultiplier(), settings.maxBackoff());
        return (attempt, outcome) -> {
            long millis = backoff.apply(attempt);
            if (outcome != null
                    && outcome.isLeft()
                    && outcome.getLeft() instanceof ProviderCallException failure
                    && failure.retryAfter() != null) {
                millis = Math.max(millis, failure.retryAfter().toMillis());
            }
            return millis;
        };
    }

    /** No waiting at all (tests, or callers that back off elsewhere). */
    public static IntervalBiFunction<CompletionResponse> none() {
        return (attempt, outcome) -> 0L;
    }

    /** The same fixed wait before every retry. */
    public static IntervalBiFunction<CompletionResponse> fixed(Duration wait) {
        long millis = wait.toMillis();
        return (attempt, outcome) -> millis;
    }
}
