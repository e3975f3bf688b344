package io.aiops.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.aiops.core.TokenUsage;
import io.aiops.policy.api.PolicyClient;
import io.aiops.providers.CompletionRequest;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderAdapter;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderEndpoint;
import io.aiops.providers.ResilienceSettings;
import io.aiops.providers.ResilientProviderCaller;
import io.aiops.providers.RetryWaits;
import io.aiops.simulator.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Circuit-breaker transitions of the worker arrive at the policy service as health reports, in order. */
class ProviderHealthReporterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final AtomicBoolean failing = new AtomicBoolean(true);
    private WireMockServer policy;

    private final ProviderAdapter adapter = new ProviderAdapter() {
        @Override
        public String format() {
            return "openai";
        }

        @Override
        public CompletionResponse complete(ProviderEndpoint endpoint, CompletionRequest request) {
            if (failing.get()) {
                throw new ProviderCallException(ErrorClass.OVERLOADED, 503, "overloaded");
            }
            return new CompletionResponse("ok", "stop", new TokenUsage(5, 0, 0, 1, 0), request.model(), "id");
        }
    };

    @BeforeEach
    void start() {
        policy = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        policy.start();
        policy.stubFor(post(urlEqualTo("/api/v1/providers/health")).willReturn(okJson("{}")));
    }

    @AfterEach
    void stop() {
        policy.stop();
    }

    @Test
    void openHalfOpenAndClosedAreReportedWithProviderModelAndReporter() {
        ResilientProviderCaller caller = new ResilientProviderCaller(
                ResilienceSettings.custom()
                        .maxAttempts(1)
                        .slidingWindowSize(2)
                        .minimumNumberOfCalls(2)
                        .failureRateThreshold(100)
                        .waitInOpenState(Duration.ofSeconds(30))
                        .permittedCallsInHalfOpenState(1)
                        .build(),
                clock,
                RetryWaits.none());
        new ProviderHealthReporter(
                        new PolicyClient(URI.create(policy.baseUrl()), "worker-key"),
                        "worker-7",
                        clock,
                        Runnable::run,
                        null)
                .watch(caller);
        ProviderEndpoint ollama =
                new ProviderEndpoint("ollama", "openai", URI.create("http://localhost:1/v1"), null, Map.of());
        CompletionRequest request = new CompletionRequest("llama3:8b", null, "hi", 5, null, null);

        caller.call(ollama, adapter, request);
        caller.call(ollama, adapter, request);
        clock.advance(Duration.ofSeconds(31));
        failing.set(false);
        caller.call(ollama, adapter, request);

        List<JsonNode> reports = policy.findAll(postRequestedFor(urlEqualTo("/api/v1/providers/health"))).stream()
                .map(r -> read(r.getBodyAsString()))
                .toList();
        assertThat(reports).extracting(r -> r.get("state").asText()).containsExactly("OPEN", "HALF_OPEN", "CLOSED");
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.get("provider").asText()).isEqualTo("ollama");
            assertThat(r.get("model").asText()).isEqualTo("llama3:8b");
            assertThat(r.get("reporter").asText()).isEqualTo("worker-7");
        });
        assertThat(reports.get(0).get("observedAt").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(reports.get(2).get("observedAt").asText()).isEqualTo("2026-11-26T10:00:31Z");
    }

    @Test
    void anUnreachablePolicyServiceNeverBreaksTheCall() {
        policy.stop();
        ResilientProviderCaller caller = new ResilientProviderCaller(
                ResilienceSettings.custom()
                        .maxAttempts(1)
                        .slidingWindowSize(1)
                        .minimumNumberOfCalls(1)
                        .build(),
                clock,
                RetryWaits.none());
        new ProviderHealthReporter(
                        new PolicyClient(URI.create("http://127.0.0.1:1"), "k", Duration.ofMillis(200)),
                        "w",
                        clock,
                        Runnable::run,
                        null)
                .watch(caller);
        ProviderEndpoint endpoint =
                new ProviderEndpoint("p", "openai", URI.create("http://localhost:1/v1"), null, Map.of());
        assertThat(caller.call(endpoint, adapter, new CompletionRequest("m", null, "hi", 5, null, null))
                        .failure()
                        .errorClass())
                .isEqualTo(ErrorClass.OVERLOADED);
    }

    private static JsonNode read(String json) {
        try {
            return PolicyClient.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
