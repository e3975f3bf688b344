package io.aiops.providers;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Calls one model of one provider through Resilience4j retry, circuit breaker, rate limiters (requests and tokens per
 * minute) and bulkhead, each kept per {@code "<provider>:<model>"} in its registry and configured from the
 * {@link ResilienceProfiles}, and reports every physical attempt.
 *
 * <p>Only failures whose {@link ErrorClass#retryable()} is true are retried, and not when the provider asks to wait
 * longer than {@link ResilienceSettings#maxRetryAfter()}. Failures of the request itself
 * ({@link ErrorClass#rejectsRequest()}) and refusals by the local limits do not count against the provider's circuit.
 * An open circuit yields {@link ErrorClass#CIRCUIT_OPEN}, an exhausted local rate limit or a full bulkhead
 * {@link ErrorClass#RATE_LIMITED}, in both cases without a request being sent. An attempt without a time-out of its
 * own gets {@link ResilienceSettings#timeout()}; a time limiter bounds the whole call, retries and waits included, by
 * {@link ResilienceSettings#effectiveCallTimeout()} and abandons (interrupts) the attempt in flight when it is up.
 */
public final class ResilientProviderCaller {

    /** The refresh period of the per-minute limits. */
    private static final Duration LIMIT_PERIOD = Duration.ofMinutes(1);

    private final ResilienceProfiles profiles;
    private final Clock clock;
    private final Function<ResilienceSettings, IntervalBiFunction<CompletionResponse>> retryWaits;
    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();
    private final RetryRegistry retries = RetryRegistry.ofDefaults();
    private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.ofDefaults();
    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    private final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry.ofDefaults();
    /**
     * Runs each guarded call so the time limiter can abandon it. The hand-over is the layer's main cost (tens of
     * microseconds on a loaded machine, see docs/benchmarks.md); virtual threads keep it from tying up a pooled thread.
     */
    private final ExecutorService callThreads = Executors.newVirtualThreadPerTaskExecutor();

    private final Map<String, Guards> guards = new ConcurrentHashMap<>();

    /** The guards of one (provider, model); the token limiter and bulkhead are null when not limited. */
    private record Guards(
            ResilienceSettings settings,
            CircuitBreaker circuit,
            Retry retry,
            RateLimiter requests,
            RateLimiter tokens,
            Bulkhead bulkhead,
            TimeLimiter timeLimiter) {}

    /**
     * The attempts of one call. After the time limiter gave up, the abandoned attempt is recorded here as a time-out,
     * and whatever the interrupted thread reports later is dropped, so the result never changes after it was returned.
     */
    private static final class AttemptLog {
        private final List<AttemptResult> attempts = new ArrayList<>();
        private Instant inFlightSince;
        private boolean closed;

        /** Numbers the next attempt; refuses to start one once the call was given up. */
        synchronized int start(Instant now) {
            if (closed) {
                throw new CancellationException("the call's time limit is up; no further attempt is made");
            }
            inFlightSince = now;
            return attempts.size() + 1;
        }

        synchronized void add(AttemptResult attempt) {
            inFlightSince = null;
            if (!closed) {
                attempts.add(attempt);
            }
        }

        synchronized List<AttemptResult> close(
                ProviderEndpoint endpoint, String model, Instant now, ProviderCallException abandonedBy) {
            if (!closed && inFlightSince != null && abandonedBy != null) {
                Duration latency = Duration.between(inFlightSince, now);
                attempts.add(AttemptResult.failure(
                        endpoint.name(),
                        model,
                        attempts.size() + 1,
                        inFlightSince,
                        latency.isNegative() ? Duration.ZERO : latency,
                        abandonedBy));
            }
            closed = true;
            return List.copyOf(attempts);
        }
    }

    /** Waits between retries with exponential backoff and jitter, at least as long as the provider's Retry-After. */
    public ResilientProviderCaller(ResilienceSettings settings, Clock clock) {
        this(ResilienceProfiles.uniform(settings), clock);
    }

    /** Waits between retries as {@code retryWait} says (milliseconds per attempt number and outcome). */
    public ResilientProviderCaller(
            ResilienceSettings settings, Clock clock, IntervalBiFunction<CompletionResponse> retryWait) {
        this(ResilienceProfiles.uniform(settings), clock, retryWait);
    }

    /** Settings per (provider, model); backoff with jitter honouring Retry-After, from each pair's settings. */
    public ResilientProviderCaller(ResilienceProfiles profiles, Clock clock) {
        this(profiles, clock, RetryWaits::backoffHonouringRetryAfter);
    }

    /** Settings per (provider, model), waiting between retries as {@code retryWait} says for every pair. */
    public ResilientProviderCaller(
            ResilienceProfiles profiles, Clock clock, IntervalBiFunction<CompletionResponse> retryWait) {
        this(profiles, clock, settings -> retryWait);
        Objects.requireNonNull(retryWait, "retryWait");
    }

    private ResilientProviderCaller(
            ResilienceProfiles profiles,
            Clock clock,
            Function<ResilienceSettings, IntervalBiFunction<CompletionResponse>> retryWaits) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retryWaits = retryWaits;
    }

    /** The registry key of a provider's model. */
    public static String key(String provider, String model) {
        return provider + ":" + model;
    }

    /** Calls {@code request.model()} at the bound provider. */
    public ProviderCallResult call(ProviderBinding binding, CompletionRequest request) {
        return call(binding.endpoint(), binding.adapter(), request);
    }

    /** Calls {@code request.model()} at {@code endpoint} through {@code adapter}; never throws for provider failures. */
    public ProviderCallResult call(ProviderEndpoint endpoint, ProviderAdapter adapter, CompletionRequest request) {
        String key = key(endpoint.name(), request.model());
        Guards g = guards(endpoint.name(), request.model());
        CompletionRequest limited =
                request.timeout() != null && request.timeout().isPositive()
                        ? request
                        : new CompletionRequest(
                                request.model(),
                                request.systemPrompt(),
                                request.userPrompt(),
                                request.maxOutputTokens(),
                                g.settings().timeout(),
                                request.jsonSchema(),
                                request.callTimeout());
        AttemptLog attempts = new AttemptLog();
        Supplier<CompletionResponse> guarded = () -> attemptOnce(endpoint, adapter, limited, attempts);
        if (g.bulkhead() != null) {
            guarded = Bulkhead.decorateSupplier(g.bulkhead(), guarded);
        }
        if (g.tokens() != null) {
            int permits = (int) Math.min(estimatedTokens(limited), g.settings().tokensPerMinute());
            guarded = RateLimiter.decorateSupplier(g.tokens(), permits, guarded);
        }
        if (g.requests() != null) {
            guarded = RateLimiter.decorateSupplier(g.requests(), guarded);
        }
        Supplier<CompletionResponse> resilient =
                Retry.decorateSupplier(g.retry(), CircuitBreaker.decorateSupplier(g.circuit(), guarded));
        Throwable failure;
        AtomicReference<Future<CompletionResponse>> running = new AtomicReference<>();
        // the whole call ends by the caller's bound when that is sooner than the model's own
        Duration callLimit = g.settings().effectiveCallTimeout();
        TimeLimiter limiter = g.timeLimiter();
        if (request.callTimeout() != null && request.callTimeout().compareTo(callLimit) < 0) {
            callLimit = request.callTimeout().isNegative() ? Duration.ZERO : request.callTimeout();
            limiter = TimeLimiter.of(TimeLimiterConfig.custom()
                    .timeoutDuration(callLimit)
                    .cancelRunningFuture(false)
                    .build());
        }
        try {
            CompletionResponse response = limiter.executeFutureSupplier(() -> {
                running.set(callThreads.submit(resilient::get));
                return running.get();
            });
            return new ProviderCallResult(
                    response, null, attempts.close(endpoint, request.model(), clock.instant(), null));
        } catch (TimeoutException e) {
            ProviderCallException timedOut = new ProviderCallException(
                    ErrorClass.TIMEOUT,
                    0,
                    "call of " + key + " took longer than its limit of " + callLimit.toMillis()
                            + " ms (retries included); the attempt in flight was abandoned",
                    null,
                    e);
            // the log is closed before the thread is interrupted, so the abandoned attempt counts as this time-out
            List<AttemptResult> made = attempts.close(endpoint, request.model(), clock.instant(), timedOut);
            running.get().cancel(true);
            return new ProviderCallResult(null, timedOut, made);
        } catch (Exception e) {
            // the time limiter rethrows the call's own failure (the cause of the future's ExecutionException)
            failure = e instanceof ExecutionException wrapped && wrapped.getCause() != null ? wrapped.getCause() : e;
        }
        if (failure instanceof InterruptedException) {
            // the caller is being stopped: stop the call it was waiting for too
            Thread.currentThread().interrupt();
            if (running.get() != null) {
                running.get().cancel(true);
            }
        }
        ProviderCallException classified = switch (failure) {
            case ProviderCallException e -> e;
            case CallNotPermittedException open ->
                new ProviderCallException(
                        ErrorClass.CIRCUIT_OPEN,
                        0,
                        "circuit breaker " + key + " is open: recent calls failed too often",
                        null,
                        open);
            case RequestNotPermitted limit ->
                new ProviderCallException(
                        ErrorClass.RATE_LIMITED,
                        0,
                        "local rate limit of " + key + " reached ("
                                + g.settings().requestsPerMinute() + " requests, "
                                + g.settings().tokensPerMinute() + " tokens per minute; 0 = unlimited)",
                        null,
                        limit);
            case BulkheadFullException full ->
                new ProviderCallException(
                        ErrorClass.RATE_LIMITED,
                        0,
                        "bulkhead " + key + " is full: " + g.settings().maxConcurrentCalls()
                                + " calls already in flight",
                        null,
                        full);
            default ->
                new ProviderCallException(
                        ErrorClass.UNKNOWN, 0, "call of " + key + " failed: " + failure, null, failure);
        };
        return new ProviderCallResult(
                null, classified, attempts.close(endpoint, request.model(), clock.instant(), classified));
    }

    /**
     * The circuit breaker of {@code model} at {@code provider}, created with its configured settings if no call has
     * been made yet (reading the registry by name before the first call would create one with default settings).
     */
    public CircuitBreaker circuitBreaker(String provider, String model) {
        return guards(provider, model).circuit();
    }

    /** Per (provider, model) circuit breakers, e.g. to bind metrics, read states or listen to transitions. */
    public CircuitBreakerRegistry circuitBreakers() {
        return circuitBreakers;
    }

    /** Per (provider, model) retries, e.g. to bind metrics. */
    public RetryRegistry retries() {
        return retries;
    }

    /** Per (provider, model) rate limiters: {@code <key>} counts requests, {@code <key>#tokens} tokens. */
    public RateLimiterRegistry rateLimiters() {
        return rateLimiters;
    }

    /** Per (provider, model) time limiters of a whole call, retries included. */
    public TimeLimiterRegistry timeLimiters() {
        return timeLimiters;
    }

    /** Per (provider, model) bulkheads. */
    public BulkheadRegistry bulkheads() {
        return bulkheads;
    }

    /** The settings of providers and models without an override. */
    public ResilienceSettings settings() {
        return profiles.defaults();
    }

    /** All settings in force, by provider and model. */
    public ResilienceProfiles profiles() {
        return profiles;
    }

    private Guards guards(String provider, String model) {
        return guards.computeIfAbsent(key(provider, model), k -> guardsFor(k, profiles.forModel(provider, model)));
    }

    private Guards guardsFor(String key, ResilienceSettings s) {
        CircuitBreakerConfig circuitConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(s.slidingWindowSize())
                .minimumNumberOfCalls(s.minimumNumberOfCalls())
                .failureRateThreshold(s.failureRateThreshold())
                .waitDurationInOpenState(s.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(s.permittedCallsInHalfOpenState())
                .recordException(ResilientProviderCaller::countsAgainstProvider)
                // a local limit refusing the call says nothing about the provider's health
                .ignoreExceptions(RequestNotPermitted.class, BulkheadFullException.class)
                .clock(clock)
                .build();
        RetryConfig retryConfig = RetryConfig.<CompletionResponse>custom()
                .maxAttempts(s.maxAttempts())
                .intervalBiFunction(retryWaits.apply(s))
                .retryOnException(failure -> worthRetrying(failure, s))
                .failAfterMaxAttempts(false)
                .build();
        RateLimiter requests = s.requestsPerMinute() > 0
                ? rateLimiters.rateLimiter(key, perMinute(s.requestsPerMinute(), s.rateLimitWait()))
                : null;
        RateLimiter tokens = s.tokensPerMinute() > 0
                ? rateLimiters.rateLimiter(
                        key + "#tokens",
                        perMinute((int) Math.min(Integer.MAX_VALUE, s.tokensPerMinute()), s.rateLimitWait()))
                : null;
        Bulkhead bulkhead = s.maxConcurrentCalls() > 0
                ? bulkheads.bulkhead(
                        key,
                        BulkheadConfig.custom()
                                .maxConcurrentCalls(s.maxConcurrentCalls())
                                .maxWaitDuration(s.bulkheadWait())
                                .build())
                : null;
        TimeLimiter timeLimiter = timeLimiters.timeLimiter(
                key,
                TimeLimiterConfig.custom()
                        .timeoutDuration(s.effectiveCallTimeout())
                        .cancelRunningFuture(false)
                        .build());
        return new Guards(
                s,
                circuitBreakers.circuitBreaker(key, circuitConfig),
                retries.retry(key, retryConfig),
                requests,
                tokens,
                bulkhead,
                timeLimiter);
    }

    private static RateLimiterConfig perMinute(int limit, Duration wait) {
        return RateLimiterConfig.custom()
                .limitForPeriod(limit)
                .limitRefreshPeriod(LIMIT_PERIOD)
                .timeoutDuration(wait)
                .build();
    }

    /** Prompt characters / 4 plus the output cap: what a call may cost against a tokens-per-minute limit. */
    static long estimatedTokens(CompletionRequest request) {
        long chars = (request.systemPrompt() == null
                        ? 0
                        : request.systemPrompt().length())
                + (request.userPrompt() == null ? 0 : request.userPrompt().length());
        return Math.max(1, (chars + 3) / 4 + Math.max(0, request.maxOutputTokens()));
    }

    private CompletionResponse attemptOnce(
            ProviderEndpoint endpoint, ProviderAdapter adapter, CompletionRequest request, AttemptLog attempts) {
        Instant started = clock.instant();
        int number = attempts.start(started);
        try {
            CompletionResponse response = adapter.complete(endpoint, request);
            if (response == null) {
                throw new ProviderCallException(ErrorClass.MALFORMED_RESPONSE, 0, "adapter returned no response");
            }
            attempts.add(AttemptResult.success(
                    endpoint.name(), request.model(), number, started, since(started), response.usage()));
            return response;
        } catch (ProviderCallException e) {
            attempts.add(AttemptResult.failure(endpoint.name(), request.model(), number, started, since(started), e));
            throw e;
        } catch (RuntimeException e) {
            // an adapter broke its contract; classify rather than let a raw exception escape
            ProviderCallException wrapped = new ProviderCallException(
                    ErrorClass.UNKNOWN, 0, "adapter " + adapter.format() + " failed: " + e, null, e);
            attempts.add(
                    AttemptResult.failure(endpoint.name(), request.model(), number, started, since(started), wrapped));
            throw wrapped;
        }
    }

    private Duration since(Instant started) {
        Duration latency = Duration.between(started, clock.instant());
        return latency.isNegative() ? Duration.ZERO : latency;
    }

    private static boolean worthRetrying(Throwable failure, ResilienceSettings settings) {
        if (!(failure instanceof ProviderCallException e) || !e.errorClass().retryable()) {
            return false;
        }
        return e.retryAfter() == null || e.retryAfter().compareTo(settings.maxRetryAfter()) <= 0;
    }

    private static boolean countsAgainstProvider(Throwable failure) {
        return !(failure instanceof ProviderCallException e) || !e.errorClass().rejectsRequest();
    }
}
