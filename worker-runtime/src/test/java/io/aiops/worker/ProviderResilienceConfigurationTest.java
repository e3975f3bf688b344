package io.aiops.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.aiops.connector.model.AiTaskRequest;
import io.aiops.connector.model.AiTaskResult;
import io.aiops.connector.pipeline.AiCallPipeline;
import io.aiops.connector.pipeline.CallContext;
import io.aiops.connector.pipeline.RegistryCandidateCaller;
import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.api.PolicyClient;
import io.aiops.providers.ProviderEndpoint;
import io.aiops.providers.ProviderRegistry;
import io.aiops.providers.ResilienceProfiles;
import io.aiops.providers.ResilienceSettings;
import io.aiops.providers.ResilientProviderCaller;
import io.aiops.simulator.FaultRule;
import io.aiops.simulator.MutableClock;
import io.aiops.simulator.ProviderSimulator;
import io.aiops.simulator.SimulatorConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@code aiops.*.resilience} properties bind per provider and per model, and drive the circuit breaker: after the
 * configured failures the primary model gets no traffic and the fallback answers; after the cooldown (on an injected
 * clock) the primary is probed and taken back.
 */
class ProviderResilienceConfigurationTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private WireMockServer policy;
    private ProviderSimulator simulator;

    @BeforeEach
    void start() {
        policy = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        policy.start();
        simulator = ProviderSimulator.start(SimulatorConfig.defaults());
    }

    @AfterEach
    void stop() {
        policy.stop();
        simulator.close();
    }

    @Test
    void settingsInheritFromAllProvidersToProviderToModel() {
        AiOpsProperties properties = bind(Map.of(
                "aiops.resilience.retry.max-attempts", "3",
                "aiops.resilience.rate-limiter.requests-per-minute", "600",
                "aiops.providers.sim.resilience.circuit-breaker.minimum-number-of-calls", "4",
                "aiops.providers.sim.resilience.bulkhead.max-concurrent-calls", "8",
                "aiops.providers.sim.models[gemini-2.0-flash].resilience.timeout", "2s",
                "aiops.providers.sim.models[gemini-2.0-flash].resilience.retry.max-attempts", "1",
                "aiops.providers.other.base-url", "http://localhost:2"));
        ResilienceProfiles profiles = properties.resilienceProfiles(ResilienceSettings.defaults());

        ResilienceSettings other = profiles.forModel("other", "gpt-4o");
        assertThat(other.maxAttempts()).isEqualTo(3);
        assertThat(other.requestsPerMinute()).isEqualTo(600);
        assertThat(other.minimumNumberOfCalls()).isEqualTo(ResilienceSettings.DEFAULT_MINIMUM_NUMBER_OF_CALLS);

        ResilienceSettings sim = profiles.forModel("sim", "gpt-4o");
        assertThat(sim.maxAttempts()).isEqualTo(3);
        assertThat(sim.minimumNumberOfCalls()).isEqualTo(4);
        assertThat(sim.maxConcurrentCalls()).isEqualTo(8);
        assertThat(sim.timeout()).isEqualTo(ResilienceSettings.DEFAULT_TIMEOUT);

        ResilienceSettings flash = profiles.forModel("sim", "gemini-2.0-flash");
        assertThat(flash.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(flash.maxAttempts()).isEqualTo(1);
        assertThat(flash.minimumNumberOfCalls()).isEqualTo(4);
        assertThat(flash.requestsPerMinute()).isEqualTo(600);
    }

    @Test
    void anOpenCircuitMovesTrafficToTheFallbackUntilTheCooldownHasPassed() {
        AiOpsProperties properties = bind(Map.of(
                "aiops.providers.sim.resilience.retry.max-attempts", "1",
                "aiops.providers.sim.resilience.circuit-breaker.sliding-window-size", "2",
                "aiops.providers.sim.resilience.circuit-breaker.minimum-number-of-calls", "2",
                "aiops.providers.sim.resilience.circuit-breaker.failure-rate-threshold", "100",
                "aiops.providers.sim.resilience.circuit-breaker.wait-in-open-state", "30s",
                "aiops.providers.sim.resilience.circuit-breaker.permitted-calls-in-half-open-state", "1"));
        ResilientProviderCaller caller =
                new ResilientProviderCaller(properties.resilienceProfiles(ResilienceSettings.defaults()), clock);
        ProviderRegistry registry = ProviderRegistry.withBuiltInAdapters(
                List.of(new ProviderEndpoint("sim", "openai", simulator.openAiBaseUri(), null, Map.of())));
        AiCallPipeline pipeline = AiCallPipeline.builder()
                .policy(new PolicyClient(URI.create(policy.baseUrl()), "worker-key"))
                .candidates(new RegistryCandidateCaller(registry, caller, clock))
                .clock(clock)
                .build();
        policy.stubFor(post(urlEqualTo("/api/v1/decisions")).willReturn(okJson(decision())));
        policy.stubFor(post(urlPathMatching("/api/v1/decisions/.*/outcome"))
                .willReturn(okJson("{\"callId\":\"" + UUID.randomUUID()
                        + "\",\"costUsd\":0.000001,\"status\":\"SUCCEEDED\",\"releasedUsd\":0}")));
        simulator.faults().add(FaultRule.parse("gpt-4o-mini:503"));
        CircuitBreaker primary = caller.circuitBreaker("sim", "gpt-4o-mini");

        assertThat(run(pipeline, 1).aiCall().model()).isEqualTo("gpt-4o");
        assertThat(run(pipeline, 2).aiCall().model()).isEqualTo("gpt-4o");
        assertThat(primary.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(2);

        // open: the primary is skipped without a request (recorded as a zero-token CIRCUIT_OPEN attempt), the fallback
        // answers
        AiTaskResult skipped = run(pipeline, 3);
        assertThat(skipped.aiCall().model()).isEqualTo("gpt-4o");
        assertThat(skipped.aiCall().attempts()).isEqualTo(2);
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(2);
        clock.advance(Duration.ofSeconds(29));
        assertThat(run(pipeline, 4).aiCall().model()).isEqualTo("gpt-4o");
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(2);

        // after the cooldown the primary, healthy again, is probed and takes the traffic back
        simulator.faults().clear();
        clock.advance(Duration.ofSeconds(2));
        assertThat(run(pipeline, 5).aiCall().model()).isEqualTo("gpt-4o-mini");
        assertThat(primary.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(run(pipeline, 6).aiCall().model()).isEqualTo("gpt-4o-mini");
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(4);
        assertThat(simulator.stats().requests("gpt-4o")).isEqualTo(4);

        // the ledger saw the failover attempts with their error class
        List<JsonNode> outcomes =
                policy.findAll(postRequestedFor(urlPathMatching("/api/v1/decisions/.*/outcome"))).stream()
                        .map(r -> read(r.getBodyAsString()))
                        .toList();
        assertThat(outcomes.get(0).get("attempts")).hasSize(2);
        assertThat(outcomes.get(0).get("attempts").get(0).get("errorClass").asText())
                .isEqualTo("OVERLOADED");
        assertThat(outcomes.get(2).get("attempts")).hasSize(2);
        assertThat(outcomes.get(2).get("attempts").get(0).get("errorClass").asText())
                .isEqualTo("CIRCUIT_OPEN");
        assertThat(outcomes.get(2).get("attempts").get(0).get("inputTokens").asLong())
                .isZero();
    }

    private AiTaskResult run(AiCallPipeline pipeline, long elementInstanceKey) {
        return pipeline.run(
                new CallContext(new ProcessCoordinates(
                        "support-ticket-triage", 1L, 1, 100L, "classify", elementInstanceKey, null, "<default>")),
                new AiTaskRequest(
                        "support",
                        "classify",
                        null,
                        null,
                        null,
                        "Ticket: I was charged twice. Category one of: billing, technical.",
                        null,
                        50,
                        null,
                        null,
                        Map.of(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
    }

    private static String decision() {
        return "{\"decisionId\":\"" + UUID.randomUUID() + "\",\"allowed\":true,\"candidates\":["
                + "{\"provider\":\"sim\",\"model\":\"gpt-4o-mini\",\"maxOutputTokens\":256,\"timeoutMs\":5000},"
                + "{\"provider\":\"sim\",\"model\":\"gpt-4o\",\"maxOutputTokens\":256,\"timeoutMs\":5000}],"
                + "\"reservation\":{\"id\":\"" + UUID.randomUUID() + "\",\"amountUsd\":0.01,"
                + "\"expiresAt\":\"2026-11-26T10:15:00Z\"}}";
    }

    private AiOpsProperties bind(Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                "aiops.policy.url", policy.baseUrl(),
                "aiops.policy.api-key", "worker-key",
                "aiops.providers.sim.base-url", simulator.openAiBaseUri().toString()));
        all.putAll(extra);
        return new Binder(new MapConfigurationPropertySource(all))
                .bind("aiops", AiOpsProperties.class)
                .get();
    }

    private static JsonNode read(String json) {
        try {
            return PolicyClient.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
