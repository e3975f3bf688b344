package io.aiops.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.core.TokenUsage;
import io.aiops.simulator.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Settings per provider and model, local rate limits, the bulkhead and the default time-out, on in-process adapters. */
class ResilienceLimitsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final List<CompletionRequest> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger failing = new AtomicInteger();

    private final ProviderAdapter adapter = new ProviderAdapter() {
        @Override
        public String format() {
            return "openai";
        }

        @Override
        public CompletionResponse complete(ProviderEndpoint endpoint, CompletionRequest request) {
            seen.add(request);
            if (failing.get() > 0) {
                throw new ProviderCallException(ErrorClass.SERVER_ERROR, 500, "down");
            }
            return new CompletionResponse("ok", "stop", new TokenUsage(10, 0, 0, 2, 0), request.model(), "id");
        }
    };

    @Test
    void theMostSpecificOverrideWins() {
        ResilienceSettings defaults = ResilienceSettings.defaults();
        ResilienceSettings provider = defaults.toBuilder().maxAttempts(4).build();
        ResilienceSettings model = provider.toBuilder().maxAttempts(1).build();
        ResilienceProfiles profiles = new ResilienceProfiles(defaults, Map.of("acme", provider, "acme:fast", model));
        assertThat(profiles.forModel("acme", "fast")).isSameAs(model);
        assertThat(profiles.forModel("acme", "slow")).isSameAs(provider);
        assertThat(profiles.forModel("other", "fast")).isSameAs(defaults);
    }

    @Test
    void aProvidersOwnCircuitSettingsDecideWhenItsCircuitOpens() {
        ResilienceSettings defaults = ResilienceSettings.custom().maxAttempts(1).build();
        ResilienceSettings touchy = defaults.toBuilder()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(100)
                .waitInOpenState(Duration.ofSeconds(10))
                .build();
        ResilientProviderCaller caller = new ResilientProviderCaller(
                new ResilienceProfiles(defaults, Map.of("touchy", touchy)), clock, RetryWaits.none());
        failing.set(1);
        for (int i = 0; i < 2; i++) {
            caller.call(endpoint("touchy"), adapter, request(10));
            caller.call(endpoint("sturdy"), adapter, request(10));
        }
        assertThat(caller.circuitBreakers().circuitBreaker("touchy:gpt-4o").getState())
                .isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(caller.circuitBreakers().circuitBreaker("sturdy:gpt-4o").getState())
                .isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(caller.call(endpoint("touchy"), adapter, request(10))
                        .failure()
                        .errorClass())
                .isEqualTo(ErrorClass.CIRCUIT_OPEN);
    }

    @Test
    void requestsBeyondTheRequestsPerMinuteAreRefusedWithoutBeingSentOrOpeningTheCircuit() {
        ResilientProviderCaller caller = new ResilientProviderCaller(
                ResilienceSettings.custom()
                        .maxAttempts(3)
                        .requestsPerMinute(2)
                        .slidingWindowSize(2)
                        .minimumNumberOfCalls(2)
                        .build(),
                clock,
                RetryWaits.none());
        assertThat(caller.call(endpoint("acme"), adapter, request(10)).succeeded())
                .isTrue();
        assertThat(caller.call(endpoint("acme"), adapter, request(10)).succeeded())
                .isTrue();
        for (int i = 0; i < 3; i++) {
            ProviderCallResult refused = caller.call(endpoint("acme"), adapter, request(10));
            assertThat(refused.failure().errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
            assertThat(refused.failure().getMessage()).contains("local rate limit");
            assertThat(refused.attempts()).isEmpty();
        }
        assertThat(seen).hasSize(2);
        assertThat(caller.circuitBreakers().circuitBreaker("acme:gpt-4o").getState())
                .isEqualTo(CircuitBreaker.State.CLOSED);
        // the limit is per model
        assertThat(caller.call(
                                endpoint("acme"),
                                adapter,
                                new CompletionRequest("gpt-4o-mini", null, "hi", 10, null, null))
                        .succeeded())
                .isTrue();
    }

    @Test
    void tokensPerMinuteCountsThePromptEstimateAndTheOutputCap() {
        ResilientProviderCaller caller = new ResilientProviderCaller(
                ResilienceSettings.custom().tokensPerMinute(100).build(), clock, RetryWaits.none());
        // "hi" is 1 token by the estimate, plus 59 output tokens: 60 of the 100
        assertThat(ResilientProviderCaller.estimatedTokens(request(59))).isEqualTo(60);
        assertThat(caller.call(endpoint("acme"), adapter, request(59)).succeeded())
                .isTrue();
        assertThat(caller.call(endpoint("acme"), adapter, request(59)).failure().errorClass())
                .isEqualTo(ErrorClass.RATE_LIMITED);
        assertThat(caller.call(endpoint("acme"), adapter, request(39)).succeeded())
                .isTrue();
        assertThat(seen).hasSize(2);
    }

    @Test
    void aFullBulkheadRefusesTheNextCallAtOnce() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ProviderAdapter holding = new ProviderAdapter() {
            @Override
            public String format() {
                return "openai";
            }

            @Override
            public CompletionResponse complete(ProviderEndpoint endpoint, CompletionRequest request) {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new CompletionResponse("ok", "stop", new TokenUsage(1, 0, 0, 1, 0), request.model(), "id");
            }
        };
        ResilientProviderCaller caller = new ResilientProviderCaller(
                ResilienceSettings.custom().maxConcurrentCalls(1).build(), clock, RetryWaits.none());
        CompletableFuture<ProviderCallResult> first =
                CompletableFuture.supplyAsync(() -> caller.call(endpoint("acme"), holding, request(10)));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        ProviderCallResult second = caller.call(endpoint("acme"), holding, request(10));
        assertThat(second.failure().errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
        assertThat(second.failure().getMessage()).contains("bulkhead");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).succeeded()).isTrue();
    }

    @Test
    void anAttemptWithoutItsOwnTimeoutGetsTheConfiguredOne() {
        ResilientProviderCaller caller = new ResilientProviderCaller(
                ResilienceSettings.custom().timeout(Duration.ofSeconds(7)).build(), clock, RetryWaits.none());
        caller.call(endpoint("acme"), adapter, request(10));
        caller.call(
                endpoint("acme"),
                adapter,
                new CompletionRequest("gpt-4o", null, "hi", 10, Duration.ofMillis(300), null));
        assertThat(seen)
                .extracting(CompletionRequest::timeout)
                .containsExactly(Duration.ofSeconds(7), Duration.ofMillis(300));
    }

    private static CompletionRequest request(int maxOutputTokens) {
        return new CompletionRequest("gpt-4o", null, "hi", maxOutputTokens, null, null);
    }

    private static ProviderEndpoint endpoint(String name) {
        return new ProviderEndpoint(name, "openai", URI.create("http://localhost:1/v1"), null, Map.of());
    }
}
