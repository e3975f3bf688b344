package io.aiops.worker;

import io.aiops.providers.ResilienceSettings;
import java.time.Duration;

/**
 * Resilience settings as written in {@code aiops.resilience.*} (all providers), {@code
 * aiops.providers.<name>.resilience.*} and {@code aiops.providers.<name>.models.<model>.resilience.*}. Every value is
 * optional ({@code timeout} limits one attempt, {@code call-timeout} a candidate's whole call with its retries): what
 * is not set is inherited from the level above, and at the top from {@link ResilienceSettings}'s
 * defaults.
 */
public record ResilienceProperties(
        Duration timeout,
        Duration callTimeout,
        Retry retry,
        CircuitBreaker circuitBreaker,
        RateLimiter rateLimiter,
        Bulkhead bulkhead) {

    /** Retry with exponential backoff and jitter; a provider asking to wait longer than max-retry-after fails over. */
    public record Retry(
            Integer maxAttempts,
            Duration initialBackoff,
            Double multiplier,
            Double jitter,
            Duration maxBackoff,
            Duration maxRetryAfter) {}

    /** Count-based circuit breaker per (provider, model). */
    public record CircuitBreaker(
            Float failureRateThreshold,
            Integer slidingWindowSize,
            Integer minimumNumberOfCalls,
            Duration waitInOpenState,
            Integer permittedCallsInHalfOpenState) {}

    /** Client-side limits per (provider, model); 0 = none. */
    public record RateLimiter(Integer requestsPerMinute, Long tokensPerMinute, Duration maxWait) {}

    /** Calls in flight at once per (provider, model); 0 = no limit. */
    public record Bulkhead(Integer maxConcurrentCalls, Duration maxWait) {}

    /** {@code base} with every value set here replaced. */
    public ResilienceSettings applyTo(ResilienceSettings base) {
        ResilienceSettings.Builder b = base.toBuilder();
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (callTimeout != null) {
            b.callTimeout(callTimeout);
        }
        if (retry != null) {
            if (retry.maxAttempts() != null) {
                b.maxAttempts(retry.maxAttempts());
            }
            if (retry.initialBackoff() != null) {
                b.initialBackoff(retry.initialBackoff());
            }
            if (retry.multiplier() != null) {
                b.backoffMultiplier(retry.multiplier());
            }
            if (retry.jitter() != null) {
                b.jitter(retry.jitter());
            }
            if (retry.maxBackoff() != null) {
                b.maxBackoff(retry.maxBackoff());
            }
            if (retry.maxRetryAfter() != null) {
                b.maxRetryAfter(retry.maxRetryAfter());
            }
        }
        if (circuitBreaker != null) {
            if (circuitBreaker.failureRateThreshold() != null) {
                b.failureRateThreshold(circuitBreaker.failureRateThreshold());
            }
            if (circuitBreaker.slidingWindowSize() != null) {
                b.slidingWindowSize(circuitBreaker.slidingWindowSize());
            }
            if (circuitBreaker.minimumNumberOfCalls() != null) {
                b.minimumNumberOfCalls(circuitBreaker.minimumNumberOfCalls());
            }
            if (circuitBreaker.waitInOpenState() != null) {
                b.waitInOpenState(circuitBreaker.waitInOpenState());
            }
            if (circuitBreaker.permittedCallsInHalfOpenState() != null) {
                b.permittedCallsInHalfOpenState(circuitBreaker.permittedCallsInHalfOpenState());
            }
        }
        if (rateLimiter != null) {
            if (rateLimiter.requestsPerMinute() != null) {
                b.requestsPerMinute(rateLimiter.requestsPerMinute());
            }
            if (rateLimiter.tokensPerMinute() != null) {
                b.tokensPerMinute(rateLimiter.tokensPerMinute());
            }
            if (rateLimiter.maxWait() != null) {
                b.rateLimitWait(rateLimiter.maxWait());
            }
        }
        if (bulkhead != null) {
            if (bulkhead.maxConcurrentCalls() != null) {
                b.maxConcurrentCalls(bulkhead.maxConcurrentCalls());
            }
            if (bulkhead.maxWait() != null) {
                b.bulkheadWait(bulkhead.maxWait());
            }
        }
        return b.build();
    }

    /** {@code base} unchanged when {@code properties} is null, else with its values applied. */
    static ResilienceSettings apply(ResilienceProperties properties, ResilienceSettings base) {
        return properties == null ? base : properties.applyTo(base);
    }
}
