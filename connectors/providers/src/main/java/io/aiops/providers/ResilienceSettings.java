package io.aiops.providers;

import java.time.Duration;

/**
 * Immutable time-out, retry, circuit-breaker, rate-limit and concurrency settings of one (provider, model) pair (see
 * {@link ResilienceProfiles} for settings that differ per provider or model). Start from {@link #defaults()} or
 * {@link #custom()}; unset values keep the named defaults.
 *
 * @param maxAttempts physical attempts per call, the first included
 * @param initialBackoff wait before the first retry, before jitter
 * @param backoffMultiplier growth of the wait per retry
 * @param jitter randomisation factor of the wait (0.5 = +/- 50%)
 * @param maxBackoff cap of the computed wait
 * @param maxRetryAfter a provider asking to wait longer than this is not retried (the caller fails over instead)
 * @param failureRateThreshold percentage of failed calls in the window that opens the circuit
 * @param slidingWindowSize number of recent calls the failure rate is computed over
 * @param minimumNumberOfCalls calls needed before the failure rate counts
 * @param waitInOpenState how long an open circuit refuses calls before letting trial calls through
 * @param permittedCallsInHalfOpenState trial calls allowed while half open
 * @param timeout time limit of one attempt when the decision's candidate names none (enforced as the HTTP request
 *     time-out, which abandons the exchange)
 * @param requestsPerMinute client-side request limit per (provider, model), 0 for none
 * @param tokensPerMinute client-side token limit per (provider, model) on the estimated prompt plus max output
 *     tokens, 0 for none
 * @param rateLimitWait how long a call waits for rate-limit room before it is refused (and the next candidate tried)
 * @param maxConcurrentCalls calls in flight at once per (provider, model), 0 for no limit
 * @param bulkheadWait how long a call waits for a free slot before it is refused
 * @param callTimeout time limit of the whole call of one candidate, retries and waits included (Resilience4j time
 *     limiter; the attempt in flight is abandoned); null for {@link #effectiveCallTimeout()}'s derived default
 */
public record ResilienceSettings(
        int maxAttempts,
        Duration initialBackoff,
        double backoffMultiplier,
        double jitter,
        Duration maxBackoff,
        Duration maxRetryAfter,
        float failureRateThreshold,
        int slidingWindowSize,
        int minimumNumberOfCalls,
        Duration waitInOpenState,
        int permittedCallsInHalfOpenState,
        Duration timeout,
        int requestsPerMinute,
        long tokensPerMinute,
        Duration rateLimitWait,
        int maxConcurrentCalls,
        Duration bulkheadWait,
        Duration callTimeout) {

    public static final int DEFAULT_MAX_ATTEMPTS = 2;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    public static final double DEFAULT_JITTER = 0.5;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);
    public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;
    public static final int DEFAULT_SLIDING_WINDOW_SIZE = 20;
    public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 10;
    public static final Duration DEFAULT_WAIT_IN_OPEN_STATE = Duration.ofSeconds(30);
    public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 2;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 0;
    public static final long DEFAULT_TOKENS_PER_MINUTE = 0;
    public static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ZERO;
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 100;
    public static final Duration DEFAULT_BULKHEAD_WAIT = Duration.ZERO;

    public ResilienceSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (initialBackoff.isNegative()
                || maxBackoff.isNegative()
                || maxRetryAfter.isNegative()
                || waitInOpenState.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (backoffMultiplier < 1 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("backoffMultiplier must be >= 1 and jitter in [0, 1)");
        }
        if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
            throw new IllegalArgumentException("failureRateThreshold must be in (0, 100]");
        }
        if (slidingWindowSize < 1 || minimumNumberOfCalls < 1 || permittedCallsInHalfOpenState < 1) {
            throw new IllegalArgumentException("window size, minimum calls and half-open calls must be >= 1");
        }
        if (timeout == null || !timeout.isPositive()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (requestsPerMinute < 0 || tokensPerMinute < 0 || maxConcurrentCalls < 0) {
            throw new IllegalArgumentException("rate limits and max concurrent calls must be >= 0 (0 = no limit)");
        }
        if (rateLimitWait == null || rateLimitWait.isNegative() || bulkheadWait == null || bulkheadWait.isNegative()) {
            throw new IllegalArgumentException("rate-limit and bulkhead waits must not be negative");
        }
        if (callTimeout != null && !callTimeout.isPositive()) {
            throw new IllegalArgumentException("callTimeout must be positive (or unset for the derived default)");
        }
    }

    /**
     * The time limit of one candidate's whole call: {@link #callTimeout()} when set, otherwise every attempt's
     * time-out plus the longest waits between them, plus the waits for rate-limit room and a bulkhead slot, so the
     * limit only cuts calls that overran their own settings.
     */
    public Duration effectiveCallTimeout() {
        if (callTimeout != null) {
            return callTimeout;
        }
        Duration retryWaits = maxBackoff.compareTo(maxRetryAfter) >= 0 ? maxBackoff : maxRetryAfter;
        return timeout.multipliedBy(maxAttempts)
                .plus(retryWaits.multipliedBy(maxAttempts - 1L))
                .plus(rateLimitWait)
                .plus(bulkheadWait)
                .plusSeconds(1);
    }

    /** All defaults. */
    public static ResilienceSettings defaults() {
        return custom().build();
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxAttempts = maxAttempts;
        b.initialBackoff = initialBackoff;
        b.backoffMultiplier = backoffMultiplier;
        b.jitter = jitter;
        b.maxBackoff = maxBackoff;
        b.maxRetryAfter = maxRetryAfter;
        b.failureRateThreshold = failureRateThreshold;
        b.slidingWindowSize = slidingWindowSize;
        b.minimumNumberOfCalls = minimumNumberOfCalls;
        b.waitInOpenState = waitInOpenState;
        b.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
        b.timeout = timeout;
        b.requestsPerMinute = requestsPerMinute;
        b.tokensPerMinute = tokensPerMinute;
        b.rateLimitWait = rateLimitWait;
        b.maxConcurrentCalls = maxConcurrentCalls;
        b.bulkheadWait = bulkheadWait;
        b.callTimeout = callTimeout;
        return b;
    }

    /** Fluent builder for {@link ResilienceSettings}. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
        private double jitter = DEFAULT_JITTER;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
        private int minimumNumberOfCalls = DEFAULT_MINIMUM_NUMBER_OF_CALLS;
        private Duration waitInOpenState = DEFAULT_WAIT_IN_OPEN_STATE;
        private int permittedCallsInHalfOpenState = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration callTimeout;
        private int requestsPerMinute = DEFAULT_REQUESTS_PER_MINUTE;
        private long tokensPerMinute = DEFAULT_TOKENS_PER_MINUTE;
        private Duration rateLimitWait = DEFAULT_RATE_LIMIT_WAIT;
        private int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;
        private Duration bulkheadWait = DEFAULT_BULKHEAD_WAIT;

        private Builder() {}

        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public Builder requestsPerMinute(int value) {
            this.requestsPerMinute = value;
            return this;
        }

        public Builder tokensPerMinute(long value) {
            this.tokensPerMinute = value;
            return this;
        }

        public Builder rateLimitWait(Duration value) {
            this.rateLimitWait = value;
            return this;
        }

        public Builder maxConcurrentCalls(int value) {
            this.maxConcurrentCalls = value;
            return this;
        }

        public Builder callTimeout(Duration value) {
            this.callTimeout = value;
            return this;
        }

        public Builder bulkheadWait(Duration value) {
            this.bulkheadWait = value;
            return this;
        }

        public Builder maxAttempts(int value) {
            this.maxAttempts = value;
            return this;
        }

        public Builder initialBackoff(Duration value) {
            this.initialBackoff = value;
            return this;
        }

        public Builder backoffMultiplier(double value) {
            this.backoffMultiplier = value;
            return this;
        }

        public Builder jitter(double value) {
            this.jitter = value;
            return this;
        }

        public Builder maxBackoff(Duration value) {
            this.maxBackoff = value;
            return this;
        }

        public Builder maxRetryAfter(Duration value) {
            this.maxRetryAfter = value;
            return this;
        }

        public Builder failureRateThreshold(float value) {
            this.failureRateThreshold = value;
            return this;
        }

        public Builder slidingWindowSize(int value) {
            this.slidingWindowSize = value;
            return this;
        }

        public Builder minimumNumberOfCalls(int value) {
            this.minimumNumberOfCalls = value;
            return this;
        }

        public Builder waitInOpenState(Duration value) {
            this.waitInOpenState = value;
            return this;
        }

        public Builder permittedCallsInHalfOpenState(int value) {
            this.permittedCallsInHalfOpenState = value;
            return this;
        }

        public ResilienceSettings build() {
            return new ResilienceSettings(
                    maxAttempts,
                    initialBackoff,
                    backoffMultiplier,
                    jitter,
                    maxBackoff,
                    maxRetryAfter,
                    failureRateThreshold,
                    slidingWindowSize,
                    minimumNumberOfCalls,
                    waitInOpenState,
                    permittedCallsInHalfOpenState,
                    timeout,
                    requestsPerMinute,
                    tokensPerMinute,
                    rateLimitWait,
                    maxConcurrentCalls,
                    bulkheadWait,
                    callTimeout);
        }
    }
}
