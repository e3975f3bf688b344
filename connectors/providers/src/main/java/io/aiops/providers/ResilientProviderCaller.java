package io.aiops.providers;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Calls one model of one provider with retry and a circuit breaker, both kept per {@code "<provider>:<model>"} in
 * Resilience4j registries, and reports every physical attempt.
 *
 * <p>Only failures whose {@link ErrorClass#retryable()} is true are retried, and not when the provider asks to wait
 * longer than {@link ResilienceSettings#maxRetryAfter()}. Failures of the request itself
 * ({@link ErrorClass#rejectsRequest()}) do not count against the provider's circuit. An open circuit yields
 * {@link ErrorClass#CIRCUIT_OPEN} without a request being sent.
 */
public final class ResilientProviderCaller {

  private final ResilienceSettings settings;
  private final Clock clock;
  private final CircuitBreakerRegistry circuitBreakers;
  private final RetryRegistry retries;

  /** Waits between retries with exponential backoff and jitter, at least as long as the provider's Retry-After. */
  public ResilientProviderCaller(ResilienceSettings settings, Clock clock) {
    this(settings, clock, RetryWaits.backoffHonouringRetryAfter(settings));
  }

  /** Waits between retries as {@code retryWait} says (milliseconds per attempt number and outcome). */
  public ResilientProviderCaller(ResilienceSettings settings, Clock clock,
      IntervalBiFunction<CompletionResponse> retryWait) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(retryWait, "retryWait");
    CircuitBreakerConfig circuitConfig = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(settings.slidingWindowSize())
        .minimumNumberOfCalls(settings.minimumNumberOfCalls())
        .failureRateThreshold(settings.failureRateThreshold())
        .waitDurationInOpenState(settings.waitInOpenState())
        .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
        .recordException(ResilientProviderCaller::countsAgainstProvider)
        .clock(clock)
        .build();
    RetryConfig retryConfig = RetryConfig.<CompletionResponse>custom()
        .maxAttempts(settings.maxAttempts())
        .intervalBiFunction(retryWait)
        .retryOnException(this::worthRetrying)
        .failAfterMaxAttempts(false)
        .build();
    this.circuitBreakers = CircuitBreakerRegistry.of(circuitConfig);
    this.retries = RetryRegistry.of(retryConfig);
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
    CircuitBreaker circuit = circuitBreakers.circuitBreaker(key);
    Retry retry = retries.retry(key);
    List<AttemptResult> attempts = new ArrayList<>();
    Supplier<CompletionResponse> attempt = () -> attemptOnce(endpoint, adapter, request, attempts);
    Supplier<CompletionResponse> resilient = Retry.decorateSupplier(retry,
        CircuitBreaker.decorateSupplier(circuit, attempt));
    try {
      return new ProviderCallResult(resilient.get(), null, attempts);
    } catch (CallNotPermittedException open) {
      return new ProviderCallResult(null, new ProviderCallException(ErrorClass.CIRCUIT_OPEN, 0,
          "circuit breaker " + key + " is open: recent calls failed too often", null, open), attempts);
    } catch (ProviderCallException failure) {
      return new ProviderCallResult(null, failure, attempts);
    }
  }

  /** Per (provider, model) circuit breakers, e.g. to bind metrics or read states. */
  public CircuitBreakerRegistry circuitBreakers() {
    return circuitBreakers;
  }

  /** Per (provider, model) retries, e.g. to bind metrics. */
  public RetryRegistry retries() {
    return retries;
  }

  /** The settings in force. */
  public ResilienceSettings settings() {
    return settings;
  }

  private CompletionResponse attemptOnce(ProviderEndpoint endpoint, ProviderAdapter adapter,
      CompletionRequest request, List<AttemptResult> attempts) {
    int number = attempts.size() + 1;
    Instant started = clock.instant();
    try {
      CompletionResponse response = adapter.complete(endpoint, request);
      if (response == null) {
        throw new ProviderCallException(ErrorClass.MALFORMED_RESPONSE, 0, "adapter returned no response");
      }
      attempts.add(AttemptResult.success(endpoint.name(), request.model(), number, started, since(started),
          response.usage()));
      return response;
    } catch (ProviderCallException e) {
      attempts.add(AttemptResult.failure(endpoint.name(), request.model(), number, started, since(started), e));
      throw e;
    } catch (RuntimeException e) {
      // an adapter broke its contract; classify rather than let a raw exception escape
      ProviderCallException wrapped = new ProviderCallException(ErrorClass.UNKNOWN, 0,
          "adapter " + adapter.format() + " failed: " + e, null, e);
      attempts.add(AttemptResult.failure(endpoint.name(), request.model(), number, started, since(started), wrapped));
      throw wrapped;
    }
  }

  private Duration since(Instant started) {
    Duration latency = Duration.between(started, clock.instant());
    return latency.isNegative() ? Duration.ZERO : latency;
  }

  private boolean worthRetrying(Throwable failure) {
    if (!(failure instanceof ProviderCallException e) || !e.errorClass().retryable()) {
      return false;
    }
    return e.retryAfter() == null || e.retryAfter().compareTo(settings.maxRetryAfter()) <= 0;
  }

  private static boolean countsAgainstProvider(Throwable failure) {
    return !(failure instanceof ProviderCallException e) || !e.errorClass().rejectsRequest();
  }
}
