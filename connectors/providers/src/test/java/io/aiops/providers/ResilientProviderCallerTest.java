package io.aiops.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.core.TokenUsage;
import io.aiops.simulator.FaultKind;
import io.aiops.simulator.FaultRule;
import io.aiops.simulator.MutableClock;
import io.aiops.simulator.ProviderSimulator;
import io.aiops.simulator.SimulatorConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.functions.Either;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retry and circuit breaking, counted by the requests that actually reached the simulator. */
class ResilientProviderCallerTest {

    private static ProviderSimulator simulator;
    private static ProviderBinding binding;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final CompletionRequest request = new CompletionRequest("gpt-4o-mini", null, "hi", 20, null, null);

    @BeforeAll
    static void start() {
        simulator = ProviderSimulator.start(
                SimulatorConfig.builder().retryAfterSeconds(1).build());
        binding = ProviderRegistry.withBuiltInAdapters(
                        List.of(new ProviderEndpoint("sim", "openai", simulator.openAiBaseUri(), null, Map.of())))
                .require("sim");
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.faults().clear();
        simulator.resetStats();
    }

    private ResilientProviderCaller caller(ResilienceSettings settings) {
        return new ResilientProviderCaller(settings, clock, RetryWaits.none());
    }

    @Test
    void aTransientFailureIsRetriedAndBothAttemptsAreReported() {
        simulator.faults().add(FaultRule.next("gpt-4o-mini", FaultKind.OVERLOADED, 1));
        ProviderCallResult result = caller(ResilienceSettings.defaults()).call(binding, request);

        assertThat(result.succeeded()).isTrue();
        assertThat(result.attempts()).hasSize(2);
        AttemptResult first = result.attempts().get(0);
        assertThat(first.succeeded()).isFalse();
        assertThat(first.errorClass()).isEqualTo(ErrorClass.OVERLOADED);
        assertThat(first.httpStatus()).isEqualTo(503);
        assertThat(first.usage()).isEqualTo(TokenUsage.NONE);
        AttemptResult second = result.attempts().get(1);
        assertThat(second.succeeded()).isTrue();
        assertThat(second.attemptNumber()).isEqualTo(2);
        assertThat(second.provider()).isEqualTo("sim");
        assertThat(second.model()).isEqualTo("gpt-4o-mini");
        assertThat(second.usage()).isEqualTo(result.response().usage());
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(2);
    }

    @Test
    void nonRetryableFailuresAreSentOnce() {
        simulator.faults().add(FaultRule.always("gpt-4o-mini", FaultKind.INSUFFICIENT_QUOTA));
        ProviderCallResult result =
                caller(ResilienceSettings.custom().maxAttempts(5).build()).call(binding, request);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.failure().errorClass()).isEqualTo(ErrorClass.QUOTA_EXCEEDED);
        assertThat(result.attempts()).hasSize(1);
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(1);
    }

    @Test
    void retriesStopAtMaxAttemptsWithTheLastFailure() {
        simulator.faults().add(FaultRule.always("gpt-4o-mini", FaultKind.SERVER_ERROR));
        ProviderCallResult result =
                caller(ResilienceSettings.custom().maxAttempts(3).build()).call(binding, request);

        assertThat(result.failure().errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
        assertThat(result.attempts())
                .extracting(AttemptResult::errorClass)
                .containsOnly(ErrorClass.SERVER_ERROR)
                .hasSize(3);
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(3);
    }

    @Test
    void aRetryAfterLongerThanTheLimitIsNotWaitedFor() {
        simulator.faults().add(FaultRule.always("gpt-4o-mini", FaultKind.RATE_LIMIT));
        ProviderCallResult result = caller(ResilienceSettings.custom()
                        .maxAttempts(3)
                        .maxRetryAfter(Duration.ofMillis(500))
                        .build())
                .call(binding, request);

        assertThat(result.failure().errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
        assertThat(result.failure().retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(1);
    }

    @Test
    void theCircuitOpensAfterFailuresAndThenRefusesWithoutARequest() {
        ResilienceSettings settings = ResilienceSettings.custom()
                .maxAttempts(1)
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitInOpenState(Duration.ofSeconds(60))
                .build();
        ResilientProviderCaller caller = caller(settings);
        simulator.faults().add(FaultRule.always("gpt-4o-mini", FaultKind.OVERLOADED));
        for (int i = 0; i < 4; i++) {
            assertThat(caller.call(binding, request).failure().errorClass()).isEqualTo(ErrorClass.OVERLOADED);
        }
        assertThat(caller.circuitBreakers().circuitBreaker("sim:gpt-4o-mini").getState())
                .isEqualTo(CircuitBreaker.State.OPEN);

        ProviderCallResult refused = caller.call(binding, request);
        assertThat(refused.failure().errorClass()).isEqualTo(ErrorClass.CIRCUIT_OPEN);
        assertThat(refused.attempts()).isEmpty();
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(4);

        // another model of the same provider has its own circuit
        assertThat(caller.call(binding, new CompletionRequest("gpt-4o", null, "hi", 5, null, null))
                        .succeeded())
                .isTrue();

        // after the wait in open state (on the injected clock) trial calls go through again
        simulator.faults().clear();
        clock.advance(Duration.ofSeconds(61));
        assertThat(caller.call(binding, request).succeeded()).isTrue();
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(5);
    }

    @Test
    void rejectedRequestsDoNotOpenTheProvidersCircuit() {
        ResilientProviderCaller caller = caller(ResilienceSettings.custom()
                .maxAttempts(1)
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .build());
        CompletionRequest invalidSchema = new CompletionRequest("gpt-4o-mini", null, "hi", 5, null, "[not a schema]");
        for (int i = 0; i < 6; i++) {
            ProviderCallResult result = caller.call(binding, invalidSchema);
            assertThat(result.failure().errorClass()).isEqualTo(ErrorClass.BAD_REQUEST);
            assertThat(result.attempts()).hasSize(1);
        }
        assertThat(caller.circuitBreakers().circuitBreaker("sim:gpt-4o-mini").getState())
                .isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void latencyIsMeasuredOnTheInjectedClock() {
        ProviderAdapter slowAdapter = openAiFormat(() -> {
            clock.advance(Duration.ofMillis(250));
            return new CompletionResponse("ok", "stop", new TokenUsage(10, 0, 0, 2, 0), "m", "id-1");
        });
        ProviderCallResult result =
                caller(ResilienceSettings.defaults()).call(binding.endpoint(), slowAdapter, request);
        assertThat(result.attempts()).singleElement().satisfies(a -> {
            assertThat(a.latency()).isEqualTo(Duration.ofMillis(250));
            assertThat(a.startedAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        });
    }

    @Test
    void anAdapterThrowingARawExceptionIsReportedAsUnknown() {
        ProviderAdapter broken = openAiFormat(() -> {
            throw new IllegalStateException("bug");
        });
        ProviderCallResult result = caller(ResilienceSettings.defaults()).call(binding.endpoint(), broken, request);
        assertThat(result.failure().errorClass()).isEqualTo(ErrorClass.UNKNOWN);
        assertThat(result.attempts()).hasSize(1);
    }

    @Test
    void defaultWaitIsExponentialWithJitterButAtLeastTheProvidersRetryAfter() {
        var wait = RetryWaits.backoffHonouringRetryAfter(ResilienceSettings.custom()
                .initialBackoff(Duration.ofMillis(100))
                .jitter(0.5)
                .build());
        for (int i = 0; i < 20; i++) {
            assertThat(wait.apply(1, Either.left(new ProviderCallException(ErrorClass.SERVER_ERROR, 500, "x"))))
                    .isBetween(50L, 150L);
            assertThat(wait.apply(2, Either.left(new ProviderCallException(ErrorClass.SERVER_ERROR, 500, "x"))))
                    .isBetween(100L, 300L);
        }
        ProviderCallException limited =
                new ProviderCallException(ErrorClass.RATE_LIMITED, 429, "x", Duration.ofSeconds(7), null);
        assertThat(wait.apply(1, Either.left(limited))).isEqualTo(7_000L);
    }

    private static ProviderAdapter openAiFormat(java.util.function.Supplier<CompletionResponse> answer) {
        return new ProviderAdapter() {
            @Override
            public String format() {
                return "openai";
            }

            @Override
            public CompletionResponse complete(ProviderEndpoint endpoint, CompletionRequest req) {
                return answer.get();
            }
        };
    }
}
