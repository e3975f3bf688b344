package io.aiops.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aiops.connector.model.AiCallRecord;
import io.aiops.connector.model.AiTaskResult;
import io.aiops.connector.pipeline.AiCallPipeline;
import io.aiops.connector.pipeline.AiTaskRetryableException;
import io.aiops.connector.pipeline.CandidateCaller;
import io.aiops.connector.pipeline.PaidAnswer;
import io.aiops.connector.pipeline.PipelineSettings;
import io.aiops.policy.api.PolicyClient;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderCallResult;
import io.camunda.connector.api.error.ConnectorException;
import io.camunda.connector.api.error.ConnectorRetryException;
import io.camunda.connector.runtime.test.outbound.OutboundConnectorContextBuilder;
import io.camunda.connector.runtime.test.outbound.TestJobContext;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connector end to end against a faked policy service and faked OpenAI-format providers (WireMock): what a
 * workflow sees (result, aiCall, BPMN error codes) and what the policy service is told (decisions, outcomes).
 */
class AiTaskConnectorFunctionTest {

    @RegisterExtension
    static WireMockExtension wire = WireMockExtension.newInstance().build();

    static final long ELEMENT_INSTANCE_KEY = 2251799813685301L;
    static final UUID DECISION_ID = UUID.fromString("3f0c1b7e-8a56-4b59-9a8e-0d1e2f3a4b5c");
    static final UUID CALL_ID = UUID.fromString("9a1b2c3d-4e5f-4a6b-8c7d-1e2f3a4b5c6d");

    private AiTaskConnectorFunction function;
    private AiCallPipeline pipeline;

    @BeforeEach
    void setUp() {
        URI base = URI.create(wire.baseUrl());
        pipeline = AiCallPipeline.builder()
                .policy(new PolicyClient(base, "worker-key"))
                .candidates(TestProviders.openAiCompatible(base, "primary", "secondary"))
                .clock(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC))
                .outcomeRetryWait(Duration.ofMillis(1))
                .build();
        function = new AiTaskConnectorFunction(pipeline);
    }

    @Test
    void aPipelineConfiguredFromEnvironmentVariablesCallsTheProviderNamedThere() throws Exception {
        // the variables a runtime without Spring sets; they fill the same settings the Spring host fills
        Map<String, String> env = Map.of(
                "AIOPS_POLICY_URL", wire.baseUrl(),
                "AIOPS_POLICY_API_KEY", "env-worker-key",
                "AIOPS_PROVIDERS", "primary",
                "AIOPS_PROVIDER_PRIMARY_BASE_URL", wire.baseUrl() + "/primary",
                "AIOPS_PROVIDER_PRIMARY_API_KEY", "sk-from-env",
                "AIOPS_FAIL_OPEN_MAX_SPEND_USD", "0");
        AiTaskConnectorFunction fromEnvironment = new AiTaskConnectorFunction(AiCallPipeline.builder()
                .settings(PipelineSettings.fromEnvironment(env::get))
                .build());
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o-mini")));
        stubCompletion("primary", 200, completion("billing", 42, 7, 10, 0));
        stubOutcome("0.000012345");

        AiTaskResult answer = (AiTaskResult) fromEnvironment.execute(context(Map.of(
                "project", "support", "taskKind", "classify", "prompt", "My invoice is wrong", "maxOutputTokens", 50)));

        assertThat(answer.text()).isEqualTo("billing");
        assertThat(answer.aiCall().costUsd()).isEqualByComparingTo("0.000012345");
        wire.verify(postRequestedFor(urlEqualTo("/api/v1/decisions"))
                .withHeader("Authorization", equalTo("Bearer env-worker-key")));
        wire.verify(postRequestedFor(urlPathMatching("/primary/.*"))
                .withHeader("Authorization", equalTo("Bearer sk-from-env")));
    }

    @Test
    void successPostsDecisionAndOutcomeWithUsageAndReturnsAiCall() throws Exception {
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o-mini")));
        stubCompletion("primary", 200, completion("billing", 42, 7, 10, 0));
        stubOutcome("0.000012345");

        Object result = function.execute(context(Map.of(
                "project",
                "support",
                "taskKind",
                "classify",
                "systemPrompt",
                "Classify the ticket.",
                "prompt",
                "My invoice is wrong",
                "maxOutputTokens",
                50)));

        AiTaskResult answer = (AiTaskResult) result;
        assertThat(answer.text()).isEqualTo("billing");
        AiCallRecord aiCall = answer.aiCall();
        assertThat(aiCall.callId()).isEqualTo(CALL_ID);
        assertThat(aiCall.decisionId()).isEqualTo(DECISION_ID);
        assertThat(aiCall.model()).isEqualTo("gpt-4o-mini");
        assertThat(aiCall.costUsd()).isEqualByComparingTo(new BigDecimal("0.000012345"));
        assertThat(aiCall.inputTokens()).isEqualTo(42L);
        assertThat(aiCall.outputTokens()).isEqualTo(7L);
        assertThat(aiCall.attempts()).isEqualTo(1);
        assertThat(aiCall.replayed()).isFalse();

        JsonNode decision = body(onlyRequest("/api/v1/decisions"));
        assertThat(decision.path("idempotencyKey").asText()).isEqualTo("ei:" + ELEMENT_INSTANCE_KEY + ":1");
        assertThat(decision.path("project").asText()).isEqualTo("support");
        assertThat(decision.path("taskKind").asText()).isEqualTo("classify");
        assertThat(decision.path("bpmnProcessId").asText()).isEqualTo("ticket-triage");
        assertThat(decision.path("processInstanceKey").asLong()).isEqualTo(2251799813685249L);
        assertThat(decision.path("elementId").asText()).isEqualTo("classify_ticket");
        assertThat(decision.path("elementInstanceKey").asLong()).isEqualTo(ELEMENT_INSTANCE_KEY);
        assertThat(decision.path("maxOutputTokens").asInt()).isEqualTo(50);
        // "Classify the ticket.\n\nMy invoice is wrong" is 41 characters: about 11 tokens
        assertThat(decision.path("estimatedInputTokens").asInt()).isEqualTo(11);
        assertThat(decision.path("jobKey").isNull() || decision.path("jobKey").isMissingNode())
                .isTrue();

        JsonNode outcome = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"));
        assertThat(outcome.path("attempts")).hasSize(1);
        JsonNode attempt = outcome.path("attempts").get(0);
        assertThat(attempt.path("provider").asText()).isEqualTo("primary");
        assertThat(attempt.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(attempt.path("inputTokens").asLong()).isEqualTo(42);
        assertThat(attempt.path("cachedInputTokens").asLong()).isEqualTo(10);
        assertThat(attempt.path("outputTokens").asLong()).isEqualTo(7);
        assertThat(attempt.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("requestText").asText()).isEqualTo("Classify the ticket.\n\nMy invoice is wrong");
        assertThat(outcome.path("responseText").asText()).isEqualTo("billing");

        wire.verify(postRequestedFor(urlEqualTo("/api/v1/decisions"))
                .withHeader("Authorization", equalTo("Bearer worker-key")));
    }

    @Test
    void redactedModeMasksPersonalDataBeforeTheOutcomeLeavesTheWorker() throws Exception {
        String maskKey = java.util.Base64.getEncoder().encodeToString("project-mask-key".getBytes());
        String decision = allowed(candidate("primary", "gpt-4o-mini"));
        decision = decision.substring(0, decision.length() - 1)
                + ",\"redaction\":{\"mode\":\"REDACTED\",\"customPatterns\":[\"ORD-[0-9]{6}\"],\"maskKey\":\"" + maskKey
                + "\"}}";
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", decision);
        stubCompletion("primary", 200, completion("Mail jane.doe@example.com about ORD-123456", 42, 7, 0, 0));
        stubOutcome("0.000012345");

        AiTaskResult answer = (AiTaskResult) function.execute(context(Map.of(
                "project",
                "support",
                "taskKind",
                "classify",
                "prompt",
                "Card 4111 1111 1111 1111 of jane.doe@example.com",
                "maxOutputTokens",
                50)));

        // the workflow gets the real answer; the policy service only masks
        assertThat(answer.text()).isEqualTo("Mail jane.doe@example.com about ORD-123456");
        JsonNode outcome = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"));
        String sent = outcome.path("requestText").asText() + " "
                + outcome.path("responseText").asText();
        assertThat(sent)
                .doesNotContain("jane.doe", "example.com", "4111", "ORD-123456")
                .contains("<CARD:", "<EMAIL:", "<CUSTOM1:");
        var redactor =
                new io.aiops.policy.api.redaction.TextRedactor("project-mask-key".getBytes(), List.of("ORD-[0-9]{6}"));
        assertThat(outcome.path("responseText").asText())
                .isEqualTo("Mail " + redactor.mask("EMAIL", "jane.doe@example.com") + " about "
                        + redactor.mask("CUSTOM1", "ORD-123456"));
    }

    @Test
    void hashOnlyModeSendsNoTextAtAll() throws Exception {
        String decision = allowed(candidate("primary", "gpt-4o-mini"));
        decision = decision.substring(0, decision.length() - 1)
                + ",\"redaction\":{\"mode\":\"HASH_ONLY\",\"customPatterns\":[]}}";
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", decision);
        stubCompletion("primary", 200, completion("secret answer", 42, 7, 0, 0));
        stubOutcome("0.000012345");

        function.execute(context(Map.of("project", "support", "taskKind", "classify", "prompt", "secret prompt")));

        JsonNode outcome = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"));
        assertThat(outcome.path("requestText").asText()).matches("\\[sha256=[0-9a-f]{64} chars=13 utf8Bytes=13]");
        assertThat(outcome.path("responseText").asText()).matches("\\[sha256=[0-9a-f]{64} chars=13 utf8Bytes=13]");
    }

    @Test
    void denialBecomesConnectorExceptionWithTheBpmnErrorCode() {
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                "{\"decisionId\":\"" + DECISION_ID + "\",\"allowed\":false,\"reason\":\"BUDGET_EXCEEDED\","
                        + "\"reasonMessage\":\"Budget support-monthly has 0.01 USD left\",\"candidates\":[]}");

        assertThatThrownBy(() -> function.execute(
                        context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong"))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("AI_BUDGET_EXCEEDED");
                    assertThat(e.getMessage()).contains("Budget support-monthly has 0.01 USD left");
                });
        wire.verify(0, postRequestedFor(urlPathMatching("/(primary|secondary)/.*")));
        wire.verify(0, postRequestedFor(urlPathMatching("/api/v1/decisions/.*/outcome")));
    }

    @Test
    void failsOverToTheNextCandidateAndReportsBothAttempts() throws Exception {
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                allowed(candidate("primary", "gpt-4o"), candidate("secondary", "gpt-4o-mini")));
        stubCompletion(
                "primary", 503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":null}}");
        stubCompletion("secondary", 200, completion("billing", 30, 3, 0, 0));
        stubOutcome("0.0000063");

        AiTaskResult answer = (AiTaskResult) function.execute(
                context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));

        assertThat(answer.text()).isEqualTo("billing");
        assertThat(answer.aiCall().provider()).isEqualTo("secondary");
        assertThat(answer.aiCall().model()).isEqualTo("gpt-4o-mini");
        assertThat(answer.aiCall().attempts()).isEqualTo(2);
        JsonNode attempts = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"))
                .path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("provider").asText()).isEqualTo("primary");
        assertThat(attempts.get(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(attempts.get(0).path("errorClass").asText()).isNotBlank();
        assertThat(attempts.get(1).path("provider").asText()).isEqualTo("secondary");
        assertThat(attempts.get(1).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(attempts.get(1).path("inputTokens").asLong()).isEqualTo(30);
    }

    @Test
    void badRequestFromTheProviderRaisesRequestRejectedWithoutTryingOtherCandidates() {
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                allowed(candidate("primary", "gpt-4o"), candidate("secondary", "gpt-4o-mini")));
        stubCompletion(
                "primary",
                400,
                "{\"error\":{\"message\":\"Invalid schema for response_format\",\"type\":\"invalid_request_error\",\"code\":null}}");
        stubCompletion("secondary", 200, completion("never", 1, 1, 0, 0));
        stubOutcome("0");

        assertThatThrownBy(() -> function.execute(context(Map.of(
                        "project",
                        "support",
                        "taskKind",
                        "extract",
                        "prompt",
                        "Extract the invoice number",
                        "jsonSchema",
                        "{\"type\":\"object\"}"))))
                .isInstanceOfSatisfying(
                        ConnectorException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("AI_REQUEST_REJECTED"));

        wire.verify(0, postRequestedFor(urlPathMatching("/secondary/.*")));
        JsonNode attempts = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"))
                .path("attempts");
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).path("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void allCandidatesFailingTransientlyReportsTheOutcomeAndFailsTheJobForRetry() {
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                allowed(candidate("primary", "gpt-4o"), candidate("secondary", "gpt-4o-mini")));
        stubCompletion("primary", 503, "{\"error\":{\"message\":\"overloaded\"}}");
        stubCompletion("secondary", 500, "{\"error\":{\"message\":\"boom\"}}");
        stubOutcome("0");

        assertThatThrownBy(() -> function.execute(
                        context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong"))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    // not an AI_ code: the default error expression leaves it to the job's retries
                    assertThat(e.getErrorCode()).isEqualTo("PROVIDERS_UNAVAILABLE");
                    assertThat(e.getErrorCode()).doesNotStartWith("AI_");
                });
        assertThat(body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"))
                        .path("attempts"))
                .hasSize(2);
    }

    @Test
    void aProvidersRetryAfterBecomesTheJobsBackOffCappedAtTenMinutes() {
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                allowed(candidate("primary", "gpt-4o"), candidate("secondary", "gpt-4o-mini")));
        wire.stubFor(post(urlPathMatching("/primary/.*"))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "3600")
                        .withBody("{\"error\":{\"message\":\"slow down\"}}")));
        wire.stubFor(post(urlPathMatching("/secondary/.*"))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "7")
                        .withBody("{\"error\":{\"message\":\"slow down\"}}")));
        stubOutcome("0");

        assertThatThrownBy(() -> function.execute(
                        context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong"))))
                .isInstanceOfSatisfying(ConnectorRetryException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("PROVIDERS_UNAVAILABLE");
                    // the last candidate's wait; the job's retries count down as usual
                    assertThat(e.getBackoffDuration()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(e.getRetries()).isNull();
                });

        wire.resetRequests();
        wire.stubFor(post(urlPathMatching("/secondary/.*"))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "86400")
                        .withBody("{\"error\":{\"message\":\"come back tomorrow\"}}")));
        assertThatThrownBy(() -> function.execute(
                        context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong"))))
                .isInstanceOfSatisfying(
                        ConnectorRetryException.class,
                        e -> assertThat(e.getBackoffDuration()).isEqualTo(AiTaskRetryableException.MAX_BACKOFF));
    }

    @Test
    void theTimeLimitStopsTheFailoverChainBeforeTheJobsTimeoutCouldHandItToAnotherWorker() {
        URI base = URI.create(wire.baseUrl());
        // real time: the limit is measured on the clock the calls take
        AiTaskConnectorFunction limited = new AiTaskConnectorFunction(AiCallPipeline.builder()
                .policy(new PolicyClient(base, "worker-key"))
                .candidates(TestProviders.openAiCompatible(base, "primary", "secondary"))
                .clock(Clock.systemUTC())
                .outcomeRetryWait(Duration.ofMillis(1))
                .build());
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                allowed(candidate("primary", "gpt-4o"), candidate("secondary", "gpt-4o-mini")));
        wire.stubFor(post(urlPathMatching("/primary/.*"))
                .willReturn(aResponse()
                        .withFixedDelay(4_000)
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(completion("late", 30, 3, 0, 0))));
        stubCompletion("secondary", 200, completion("billing", 30, 3, 0, 0));
        stubOutcome("0");
        long started = System.nanoTime();

        assertThatThrownBy(() -> limited.execute(context(Map.of(
                        "project",
                        "support",
                        "taskKind",
                        "classify",
                        "prompt",
                        "My invoice is wrong",
                        "timeLimit",
                        "PT2S"))))
                .isInstanceOfSatisfying(
                        ConnectorRetryException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("TIME_LIMIT_REACHED"));

        // the primary's call was cut at the limit (less the margin for the outcome); no time was left to start another
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3_500));
        wire.verify(0, postRequestedFor(urlPathMatching("/secondary/.*")));
        JsonNode attempts = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"))
                .path("attempts");
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.path("model").asText()).isEqualTo("gpt-4o");
            assertThat(a.path("errorClass").asText()).isEqualTo("TIMEOUT");
        });
    }

    @Test
    void theServiceTierTheProviderBilledTravelsWithTheAttempt() throws Exception {
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "o4-mini")));
        stubCompletion(
                "primary",
                200,
                completion("billing", 1200, 300, 1024, 256).replaceFirst("\\{", "{\"service_tier\":\"flex\","));
        stubOutcome("0.001");

        function.execute(
                context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));

        JsonNode attempt = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"))
                .path("attempts")
                .get(0);
        assertThat(attempt.path("serviceTier").asText()).isEqualTo("flex");
        assertThat(attempt.path("cachedInputTokens").asLong()).isEqualTo(1024);
        assertThat(attempt.path("cacheWrite1hInputTokens").asLong()).isZero();
    }

    @Test
    void aCandidateRefusedByItsOpenCircuitStillAppearsInTheOutcome() throws Exception {
        URI base = URI.create(wire.baseUrl());
        CandidateCaller providers = TestProviders.openAiCompatible(base, "primary", "secondary");
        CandidateCaller primaryOpen = (provider, request) -> provider.equals("primary")
                ? new ProviderCallResult(
                        null,
                        new ProviderCallException(
                                ErrorClass.CIRCUIT_OPEN, 0, "circuit breaker primary:gpt-4o is open", null, null),
                        List.of())
                : providers.call(provider, request);
        AiTaskConnectorFunction withOpenCircuit = new AiTaskConnectorFunction(AiCallPipeline.builder()
                .policy(new PolicyClient(base, "worker-key"))
                .candidates(primaryOpen)
                .clock(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC))
                .build());
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                allowed(candidate("primary", "gpt-4o"), candidate("secondary", "gpt-4o-mini")));
        stubCompletion("secondary", 200, completion("billing", 30, 3, 0, 0));
        stubOutcome("0.0000063");

        AiTaskResult answer = (AiTaskResult) withOpenCircuit.execute(
                context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));

        assertThat(answer.aiCall().model()).isEqualTo("gpt-4o-mini");
        wire.verify(0, postRequestedFor(urlPathMatching("/primary/.*")));
        JsonNode attempts = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"))
                .path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("provider").asText()).isEqualTo("primary");
        assertThat(attempts.get(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(attempts.get(0).path("errorClass").asText()).isEqualTo("CIRCUIT_OPEN");
        assertThat(attempts.get(0).path("inputTokens").asLong()).isZero();
        assertThat(attempts.get(0).path("outputTokens").asLong()).isZero();
        assertThat(attempts.get(1).path("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void everyCircuitOpenStillReportsAnOutcomeSoTheReservationIsReleased() {
        URI base = URI.create(wire.baseUrl());
        CandidateCaller allOpen = (provider, request) -> new ProviderCallResult(
                null,
                new ProviderCallException(
                        ErrorClass.CIRCUIT_OPEN, 0, "circuit breaker " + provider + " is open", null, null),
                List.of());
        AiTaskConnectorFunction withOpenCircuits = new AiTaskConnectorFunction(AiCallPipeline.builder()
                .policy(new PolicyClient(base, "worker-key"))
                .candidates(allOpen)
                .clock(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC))
                .build());
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                allowed(candidate("primary", "gpt-4o"), candidate("secondary", "gpt-4o-mini")));
        stubOutcome("0");

        assertThatThrownBy(() -> withOpenCircuits.execute(
                        context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong"))))
                .isInstanceOfSatisfying(
                        ConnectorException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("PROVIDERS_UNAVAILABLE"));
        JsonNode attempts = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"))
                .path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.findValuesAsText("errorClass")).containsOnly("CIRCUIT_OPEN");
    }

    @Test
    void anOutcomeRefusedByABriefOutageIsPostedAgainInsteadOfPayingTheModelTwice() throws Exception {
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o")));
        stubCompletion("primary", 200, completion("billing", 30, 3, 0, 0));
        String outcomePath = "/api/v1/decisions/" + DECISION_ID + "/outcome";
        wire.stubFor(post(urlEqualTo(outcomePath))
                .inScenario("outage")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("back"));
        wire.stubFor(post(urlEqualTo(outcomePath))
                .inScenario("outage")
                .whenScenarioStateIs("back")
                .willReturn(okJson("{\"callId\":\"" + CALL_ID + "\",\"costUsd\":0.0000063,\"status\":\"SUCCEEDED\"}")));

        AiTaskResult answer = (AiTaskResult) function.execute(
                context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));

        assertThat(answer.text()).isEqualTo("billing");
        assertThat(answer.aiCall().callId()).isEqualTo(CALL_ID);
        wire.verify(2, postRequestedFor(urlEqualTo(outcomePath)));
        wire.verify(1, postRequestedFor(urlPathMatching("/primary/.*")));
    }

    @Test
    void anOutcomeThatCannotBeRecordedLeavesItsAnswerKeptAndTheNextDeliveryRecordsItWithoutCallingTheModel()
            throws Exception {
        URI base = URI.create(wire.baseUrl());
        List<PaidAnswer> kept = new ArrayList<>();
        AiTaskConnectorFunction keeping = new AiTaskConnectorFunction(AiCallPipeline.builder()
                .policy(new PolicyClient(base, "worker-key"))
                .candidates(TestProviders.openAiCompatible(base, "primary"))
                .clock(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC))
                .outcomeRetryWait(Duration.ofMillis(1))
                .answerKeeper((call, answer) -> kept.add(answer))
                .build());
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o")));
        stubCompletion("primary", 200, completion("billing\u0000", 30, 3, 0, 0));
        String outcomePath = "/api/v1/decisions/" + DECISION_ID + "/outcome";
        wire.stubFor(post(urlEqualTo(outcomePath)).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> keeping.execute(
                        context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong"))))
                .isInstanceOfSatisfying(ConnectorRetryException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("OUTCOME_NOT_RECORDED");
                    assertThat(e.getMessage()).contains("kept with the job");
                });
        assertThat(kept).singleElement().satisfies(answer -> {
            assertThat(answer.decisionId()).isEqualTo(DECISION_ID);
            assertThat(answer.text()).isEqualTo("billing\u0000");
            assertThat(answer.outcome().attempts())
                    .singleElement()
                    .satisfies(a -> assertThat(a.outputTokens()).isEqualTo(3L));
        });

        // the next delivery finds the kept answer among the job's variables (as Zeebe hands it over: JSON)
        wire.resetAll();
        stubOutcome("0.0000063");
        Map<String, Object> variables = new java.util.HashMap<>(
                Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong"));
        variables.put(
                PaidAnswer.VARIABLE,
                PolicyClient.JSON.readValue(PolicyClient.JSON.writeValueAsString(kept.getFirst()), Map.class));
        AiTaskResult answer = (AiTaskResult) keeping.execute(context(variables));

        assertThat(answer.text()).isEqualTo("billing\u0000");
        assertThat(answer.aiCall().callId()).isEqualTo(CALL_ID);
        assertThat(answer.aiCall().replayed()).isTrue();
        wire.verify(0, postRequestedFor(urlEqualTo("/api/v1/decisions")));
        wire.verify(0, postRequestedFor(urlPathMatching("/primary/.*")));
        assertThat(body(onlyRequest(outcomePath)).path("responseText").asText()).isEqualTo("billing\u0000");
    }

    @Test
    void aKeeperThatCannotKeepTheAnswerDoesNotCostTheAnswerOrItsOutcome() throws Exception {
        URI base = URI.create(wire.baseUrl());
        AiTaskConnectorFunction zeebeDown = new AiTaskConnectorFunction(AiCallPipeline.builder()
                .policy(new PolicyClient(base, "worker-key"))
                .candidates(TestProviders.openAiCompatible(base, "primary"))
                .clock(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC))
                .outcomeRetryWait(Duration.ofMillis(1))
                .answerKeeper((call, answer) -> {
                    throw new IllegalStateException("gateway unreachable");
                })
                .build());
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o")));
        stubCompletion("primary", 200, completion("billing", 30, 3, 0, 0));
        stubOutcome("0.0000063");

        AiTaskResult answer = (AiTaskResult) zeebeDown.execute(
                context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));

        assertThat(answer.text()).isEqualTo("billing");
        assertThat(answer.aiCall().callId()).isEqualTo(CALL_ID);
        assertThat(answer.aiCall().replayed()).isFalse();
        wire.verify(1, postRequestedFor(urlEqualTo("/api/v1/decisions/" + DECISION_ID + "/outcome")));
    }

    @Test
    void anOutcomeTheServiceRejectsIsNotPostedAgain() {
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o")));
        stubCompletion("primary", 200, completion("billing", 30, 3, 0, 0));
        String outcomePath = "/api/v1/decisions/" + DECISION_ID + "/outcome";
        wire.stubFor(post(urlEqualTo(outcomePath))
                .willReturn(aResponse()
                        .withStatus(422)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"type\":\"https://aiops.io/problems/unknown-model\",\"status\":422,"
                                + "\"detail\":\"model gpt-4o is not priced\"}")));

        assertThatThrownBy(() -> function.execute(
                        context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong"))))
                .isInstanceOfSatisfying(
                        ConnectorException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("OUTCOME_NOT_RECORDED"));
        wire.verify(1, postRequestedFor(urlEqualTo(outcomePath)));
    }

    @Test
    void aDecisionDeniedAfterItsCallSucceededReturnsThatAnswerInsteadOfTheDenial() throws Exception {
        // the reservation expired, the redelivery found no room (denied), and then the slow first delivery's outcome
        // was recorded: the call ran and was paid, so the workflow gets its answer, not AI_BUDGET_EXCEEDED
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                "{\"decisionId\":\"" + DECISION_ID + "\",\"allowed\":false,\"reason\":\"BUDGET_EXCEEDED\","
                        + "\"reasonMessage\":\"no room\",\"candidates\":[],\"settledCall\":{\"callId\":\"" + CALL_ID
                        + "\",\"status\":\"SUCCEEDED\",\"provider\":\"primary\","
                        + "\"model\":\"gpt-4o-mini\",\"costUsd\":0.000021,\"responseText\":\"billing\"}}");

        AiTaskResult answer = (AiTaskResult) function.execute(
                context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));

        assertThat(answer.text()).isEqualTo("billing");
        assertThat(answer.aiCall().callId()).isEqualTo(CALL_ID);
        assertThat(answer.aiCall().replayed()).isTrue();
        wire.verify(0, postRequestedFor(urlPathMatching("/(primary|secondary)/.*")));
    }

    @Test
    void settledSucceededDecisionReturnsTheRecordedAnswerWithoutCallingTheModel() throws Exception {
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                "{\"decisionId\":\"" + DECISION_ID + "\",\"allowed\":true,\"candidates\":["
                        + candidate("primary", "gpt-4o-mini")
                        + "],\"settledCall\":{\"callId\":\"" + CALL_ID
                        + "\",\"status\":\"SUCCEEDED\",\"provider\":\"primary\","
                        + "\"model\":\"gpt-4o-mini\",\"costUsd\":0.000021,\"responseText\":\"{\\\"invoice\\\":\\\"INV-7\\\"}\"}}");

        AiTaskResult answer = (AiTaskResult) function.execute(context(Map.of(
                "project",
                "support",
                "taskKind",
                "extract",
                "prompt",
                "Extract the invoice number",
                "jsonSchema",
                "{\"type\":\"object\"}")));

        assertThat(answer.text()).isEqualTo("{\"invoice\":\"INV-7\"}");
        assertThat(answer.json()).isEqualTo(Map.of("invoice", "INV-7"));
        assertThat(answer.aiCall().callId()).isEqualTo(CALL_ID);
        assertThat(answer.aiCall().costUsd()).isEqualByComparingTo("0.000021");
        assertThat(answer.aiCall().replayed()).isTrue();
        wire.verify(0, postRequestedFor(urlPathMatching("/(primary|secondary)/.*")));
        wire.verify(0, postRequestedFor(urlPathMatching("/api/v1/decisions/.*/outcome")));
    }

    @Test
    void settledFailedDecisionAsksAgainWithTheNextDeliveryKey() throws Exception {
        UUID secondDecision = UUID.fromString("0b0b0b0b-1c1c-4d2d-8e3e-4f4f4f4f4f4f");
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                "{\"decisionId\":\"" + DECISION_ID + "\",\"allowed\":true,\"candidates\":["
                        + candidate("primary", "gpt-4o-mini")
                        + "],\"settledCall\":{\"callId\":\"" + UUID.randomUUID()
                        + "\",\"status\":\"FAILED\",\"provider\":\"primary\","
                        + "\"model\":\"gpt-4o-mini\",\"costUsd\":0}}");
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":2",
                "{\"decisionId\":\"" + secondDecision + "\",\"allowed\":true,\"candidates\":["
                        + candidate("primary", "gpt-4o-mini") + "]}");
        stubCompletion("primary", 200, completion("billing", 20, 2, 0, 0));
        wire.stubFor(post(urlEqualTo("/api/v1/decisions/" + secondDecision + "/outcome"))
                .willReturn(okJson("{\"callId\":\"" + CALL_ID + "\",\"costUsd\":0.0000042,\"status\":\"SUCCEEDED\"}")));

        AiTaskResult answer = (AiTaskResult) function.execute(
                context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));

        assertThat(answer.text()).isEqualTo("billing");
        assertThat(answer.aiCall().decisionId()).isEqualTo(secondDecision);
        List<String> keys = wire.findAll(postRequestedFor(urlEqualTo("/api/v1/decisions"))).stream()
                .map(r -> body(r).path("idempotencyKey").asText())
                .toList();
        assertThat(keys).containsExactly("ei:" + ELEMENT_INSTANCE_KEY + ":1", "ei:" + ELEMENT_INSTANCE_KEY + ":2");
        wire.verify(0, postRequestedFor(urlEqualTo("/api/v1/decisions/" + DECISION_ID + "/outcome")));
    }

    @Test
    void unreachablePolicyServiceFailsTheJobForRetryWithAClearMessage() {
        AiTaskConnectorFunction offline = new AiTaskConnectorFunction(AiCallPipeline.builder()
                .policy(new PolicyClient(URI.create("http://127.0.0.1:9"), "worker-key"))
                .candidates(TestProviders.openAiCompatible(URI.create(wire.baseUrl()), "primary"))
                .clock(Clock.systemUTC())
                .build());

        assertThatThrownBy(() -> offline.execute(
                        context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong"))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("POLICY_SERVICE_UNAVAILABLE");
                    assertThat(e.getMessage()).contains("Policy service at http://127.0.0.1:9");
                });
    }

    @Test
    void structuredOutputIsParsedAndTheSchemaIsSentToTheProvider() throws Exception {
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o-mini")));
        stubCompletion("primary", 200, completion("{\"invoice\":\"INV-9\",\"total\":12.5}", 50, 12, 0, 0));
        stubOutcome("0.00001");

        AiTaskResult answer = (AiTaskResult) function.execute(context(Map.of(
                "project",
                "support",
                "taskKind",
                "extract",
                "prompt",
                "Extract the invoice",
                "jsonSchema",
                Map.of("type", "object", "properties", Map.of("invoice", Map.of("type", "string"))))));

        assertThat(answer.json()).isEqualTo(Map.of("invoice", "INV-9", "total", new BigDecimal("12.5")));
        wire.verify(postRequestedFor(urlPathMatching("/primary/.*"))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema"))));
        JsonNode scores = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"))
                .path("scores");
        assertThat(score(scores, "json_valid").path("value").decimalValue()).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(score(scores, "json_valid").path("source").asText()).isEqualTo("RULE");
        assertThat(score(scores, "json_valid").path("attemptNo").asInt()).isEqualTo(1);
        assertThat(score(scores, "schema_valid").path("value").decimalValue()).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(answer.quality())
                .containsEntry("json_valid", true)
                .containsEntry("schema_valid", true)
                .containsEntry("not_refused", true);
    }

    static void stubPrompt(String path, int status, String body) {
        wire.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo(path))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    static final String TRIAGE_PROMPT = "{\"name\":\"triage\",\"version\":4,\"project\":\"support\","
            + "\"systemPrompt\":\"You triage tickets.\",\"template\":\"Classify: {{subject}} / {{ body }}\","
            + "\"variables\":[\"subject\",\"body\"],\"labels\":[\"production\"],"
            + "\"createdAt\":\"2026-11-20T10:00:00Z\",\"createdBy\":\"admin\"}";

    @Test
    void aRegisteredPromptIsFilledFromTheTasksVariablesAndTheCallRecordsItsVersion() throws Exception {
        stubPrompt("/api/v1/prompts/triage/labels/production", 200, TRIAGE_PROMPT);
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o-mini")));
        stubCompletion("primary", 200, completion("billing", 42, 7, 10, 0));
        stubOutcome("0.00001");
        Map<String, Object> task = Map.of(
                "project", "support",
                "taskKind", "classify",
                "promptRef", "triage@production",
                "promptVariables", Map.of("subject", "Charged twice", "body", "Two charges in March"));

        function.execute(context(task));
        function.execute(context(task));

        JsonNode sent = body(
                wire.findAll(postRequestedFor(urlPathMatching("/primary/.*"))).getFirst());
        assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("You triage tickets.");
        assertThat(sent.path("messages").get(1).path("content").asText())
                .isEqualTo("Classify: Charged twice / Two charges in March");
        JsonNode outcome =
                body(wire.findAll(postRequestedFor(urlEqualTo("/api/v1/decisions/" + DECISION_ID + "/outcome")))
                        .getFirst());
        assertThat(outcome.path("promptName").asText()).isEqualTo("triage");
        assertThat(outcome.path("promptVersion").asInt()).isEqualTo(4);
        // the label is resolved once and reused while it is fresh
        wire.verify(
                1,
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                        urlEqualTo("/api/v1/prompts/triage/labels/production")));
    }

    @Test
    void anUnknownPromptOrAMissingVariableIsANamedBpmnErrorBeforeAnyDecision() {
        stubPrompt(
                "/api/v1/prompts/nope", 404, "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no prompt nope\"}");
        stubPrompt("/api/v1/prompts/triage/versions/4", 200, TRIAGE_PROMPT);

        assertThatThrownBy(() -> function.execute(
                        context(Map.of("project", "support", "taskKind", "classify", "promptRef", "nope"))))
                .isInstanceOfSatisfying(
                        ConnectorException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("AI_PROMPT_NOT_FOUND"));
        assertThatThrownBy(() -> function.execute(context(Map.of(
                        "project", "support",
                        "taskKind", "classify",
                        "promptRef", "triage@4",
                        "promptVariables", Map.of("subject", "only the subject")))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("AI_PROMPT_INVALID");
                    assertThat(e.getMessage()).contains("[body]");
                });
        assertThatThrownBy(() -> function.execute(context(
                        Map.of("project", "support", "taskKind", "classify", "prompt", "Hi", "promptRef", "triage@4"))))
                .hasMessageContaining("give a prompt or a prompt reference (promptRef), exactly one of them");
        wire.verify(0, postRequestedFor(urlEqualTo("/api/v1/decisions")));
    }

    @Test
    void aSampledCallIsJudgedAfterTheJobUnderItsOwnDecisionAndTheGradeLandsOnTheCall() throws Exception {
        UUID judgeDecision = UUID.fromString("7e57ab1e-0000-4000-8000-00000000a11d");
        stubPrompt(
                "/api/v1/projects/support/judge/effective?bpmnProcessId=ticket-triage",
                200,
                "{\"sampleRate\":1,\"provider\":\"secondary\",\"model\":\"gpt-4o\",\"criteria\":\"One of the"
                        + " categories.\",\"scoreName\":\"judge_score\",\"maxOutputTokens\":100}");
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o-mini")));
        stubDecision(
                "judge:" + CALL_ID,
                "{\"decisionId\":\"" + judgeDecision + "\",\"allowed\":true,\"candidates\":["
                        + candidate("secondary", "gpt-4o") + "]}");
        stubCompletion("primary", 200, completion("billing", 42, 7, 0, 0));
        stubCompletion(
                "secondary", 200, completion("{\"score\":0.4,\"explanation\":\"close, not exact\"}", 90, 12, 0, 0));
        stubOutcome("0.00001");
        // the policy service is briefly away when the judge reports its (paid) call: the outcome is posted again
        wire.stubFor(post(urlEqualTo("/api/v1/decisions/" + judgeDecision + "/outcome"))
                .inScenario("judge outcome")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("back"));
        wire.stubFor(post(urlEqualTo("/api/v1/decisions/" + judgeDecision + "/outcome"))
                .inScenario("judge outcome")
                .whenScenarioStateIs("back")
                .willReturn(okJson("{\"callId\":\"" + UUID.randomUUID() + "\",\"costUsd\":0.0003,"
                        + "\"status\":\"SUCCEEDED\",\"releasedUsd\":0}")));
        wire.stubFor(post(urlEqualTo("/api/v1/feedback"))
                .willReturn(okJson("{\"feedbackId\":\"" + UUID.randomUUID() + "\",\"callId\":\"" + CALL_ID
                        + "\",\"scores\":1,\"recordedAt\":\"2026-11-26T10:00:00Z\",\"repeated\":false}")));

        AiTaskResult answer = (AiTaskResult) function.execute(
                context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));
        assertThat(answer.text()).isEqualTo("billing");

        // the judge runs after the job; shutting the worker down waits for it (its call is paid)
        pipeline.close();
        wire.verify(2, postRequestedFor(urlEqualTo("/api/v1/decisions/" + judgeDecision + "/outcome")));
        JsonNode feedback = body(onlyRequest("/api/v1/feedback"));
        assertThat(feedback.path("callId").asText()).isEqualTo(CALL_ID.toString());
        assertThat(feedback.path("idempotencyKey").asText()).isEqualTo("judge:" + CALL_ID);
        JsonNode score = feedback.path("scores").get(0);
        assertThat(score.path("source").asText()).isEqualTo("JUDGE");
        assertThat(score.path("type").asText()).isEqualTo("NUMERIC");
        assertThat(score.path("value").decimalValue()).isEqualByComparingTo("0.4");
        assertThat(score.path("explanation").asText()).isEqualTo("close, not exact");
        assertThat(score.path("scorerVersion").asText()).isEqualTo("secondary/gpt-4o");
        JsonNode judgeRequest = wire.findAll(postRequestedFor(urlEqualTo("/api/v1/decisions"))).stream()
                .map(AiTaskConnectorFunctionTest::body)
                .filter(b -> b.path("idempotencyKey").asText().startsWith("judge:"))
                .findFirst()
                .orElseThrow();
        // its own decision, attributed to the judged call's process instance and element
        assertThat(judgeRequest.path("taskKind").asText()).isEqualTo("judge");
        assertThat(judgeRequest.path("processInstanceKey").asLong()).isEqualTo(2251799813685249L);
        assertThat(judgeRequest.path("elementId").asText()).isEqualTo("classify_ticket");
        assertThat(judgeRequest.path("tags").path("judgedCallId").asText()).isEqualTo(CALL_ID.toString());
        JsonNode judgeOutcome =
                body(wire.findAll(postRequestedFor(urlEqualTo("/api/v1/decisions/" + judgeDecision + "/outcome")))
                        .getLast());
        assertThat(judgeOutcome.path("attempts").get(0).path("model").asText()).isEqualTo("gpt-4o");
        assertThat(judgeOutcome.path("requestText").asText())
                .contains("My invoice is wrong")
                .contains("billing");
    }

    static final Map<String, Object> INVOICE_SCHEMA = Map.of(
            "type",
            "object",
            "required",
            List.of("invoice", "total"),
            "properties",
            Map.of("invoice", Map.of("type", "string"), "total", Map.of("type", "number")));

    @Test
    void anOffSchemaAnswerFailsTheGateIsPaidForAndTheNextCandidateAnswers() throws Exception {
        stubDecision(
                "ei:" + ELEMENT_INSTANCE_KEY + ":1",
                allowed(candidate("primary", "gpt-4o-mini"), candidate("secondary", "gpt-4o")));
        stubCompletion("primary", 200, completion("{\"invoice\":\"INV-9\",\"total\":\"twelve\"}", 50, 12, 0, 0));
        stubCompletion("secondary", 200, completion("{\"invoice\":\"INV-9\",\"total\":12.5}", 50, 10, 0, 0));
        stubOutcome("0.00002");

        AiTaskResult answer = (AiTaskResult) function.execute(context(Map.of(
                "project", "support",
                "taskKind", "extract",
                "prompt", "Extract the invoice",
                "jsonSchema", INVOICE_SCHEMA,
                "qualityGate", "schema_valid")));

        assertThat(answer.aiCall().provider()).isEqualTo("secondary");
        assertThat(answer.json()).isEqualTo(Map.of("invoice", "INV-9", "total", new BigDecimal("12.5")));
        JsonNode outcome = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"));
        JsonNode attempts = outcome.path("attempts");
        assertThat(attempts).hasSize(2);
        // the turned-away answer is paid for: its tokens are reported, so the ledger prices it
        assertThat(attempts.get(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(attempts.get(0).path("errorClass").asText()).isEqualTo("QUALITY_GATE");
        assertThat(attempts.get(0).path("outputTokens").asLong()).isEqualTo(12);
        assertThat(attempts.get(1).path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode scores = outcome.path("scores");
        JsonNode firstSchema = scoreOf(scores, "schema_valid", 1);
        assertThat(firstSchema.path("value").decimalValue()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(firstSchema.path("explanation").asText()).contains("total");
        assertThat(scoreOf(scores, "schema_valid", 2).path("value").decimalValue())
                .isEqualByComparingTo(BigDecimal.ONE);
    }

    @Test
    void whenNoAnswerPassesTheGateTheTaskRaisesQualityGateFailedWithTheLastAnswer() {
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o-mini")));
        stubCompletion("primary", 200, completion("I'm sorry, but I can't help with that.", 40, 9, 0, 0));
        stubOutcome("0.00001");

        assertThatThrownBy(() -> function.execute(context(Map.of(
                        "project", "support",
                        "taskKind", "classify",
                        "prompt", "My invoice is wrong",
                        "categories", "billing, technical, other",
                        "qualityGate", "all"))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("AI_QUALITY_GATE_FAILED");
                    assertThat(e.getMessage()).contains("not_refused").contains("category_valid");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> failure =
                            (Map<String, Object>) e.getErrorVariables().get(AiCallPipeline.QUALITY_FAILURE_VARIABLE);
                    assertThat(failure).containsEntry("text", "I'm sorry, but I can't help with that.");
                    assertThat(failure.get("failedChecks")).isEqualTo(List.of("not_refused", "category_valid"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> aiCall = (Map<String, Object>) failure.get("aiCall");
                    assertThat(aiCall).containsEntry("callId", CALL_ID.toString());
                });
        JsonNode outcome = body(onlyRequest("/api/v1/decisions/" + DECISION_ID + "/outcome"));
        assertThat(outcome.path("attempts").get(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("responseText").asText()).isEqualTo("I'm sorry, but I can't help with that.");
    }

    @Test
    void aClassificationAnswerIsReadAsItsDeclaredCategory() throws Exception {
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o-mini")));
        stubCompletion("primary", 200, completion("Billing.", 40, 2, 0, 0));
        stubOutcome("0.00001");

        AiTaskResult answer = (AiTaskResult) function.execute(context(Map.of(
                "project", "support",
                "taskKind", "classify",
                "prompt", "My invoice is wrong",
                "categories", List.of("billing", "technical", "other"))));

        assertThat(answer.text()).isEqualTo("Billing.");
        assertThat(answer.category()).isEqualTo("billing");
        assertThat(answer.quality()).containsEntry("category_valid", true).doesNotContainKey("json_valid");
    }

    @Test
    void aClassificationAnswerNamingNoCategoryIsReadAsTheFallback() throws Exception {
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o-mini")));
        stubCompletion("primary", 200, completion("It is about a parcel that never arrived.", 40, 9, 0, 0));
        stubOutcome("0.00001");

        AiTaskResult answer = (AiTaskResult) function.execute(context(Map.of(
                "project", "support",
                "taskKind", "classify",
                "prompt", "Where is my parcel?",
                "categories", "billing, technical, other",
                "fallbackCategory", "other")));

        assertThat(answer.text()).isEqualTo("It is about a parcel that never arrived.");
        assertThat(answer.category()).isEqualTo("other");
        assertThat(answer.quality()).containsEntry("category_valid", false);
    }

    @Test
    void aFallbackWithoutCategoriesFailsTheJobBeforeAnyDecisionIsAskedFor() {
        assertThatThrownBy(() -> function.execute(context(Map.of(
                        "project", "support",
                        "taskKind", "classify",
                        "prompt", "Where is my parcel?",
                        "fallbackCategory", "other"))))
                .hasMessageContaining("no categories are declared");
        wire.verify(0, postRequestedFor(urlEqualTo("/api/v1/decisions")));
    }

    @Test
    void aCustomTaskAsksThePolicyServiceUnderTheKindItsBuilderNamed() throws Exception {
        stubDecision("ei:" + ELEMENT_INSTANCE_KEY + ":1", allowed(candidate("primary", "gpt-4o-mini")));
        stubCompletion("primary", 200, completion("Bonjour", 10, 2, 0, 0));
        stubOutcome("0.00001");

        function.execute(context(Map.of(
                "project", "support",
                "taskKind", "custom",
                "customTaskKind", "translate",
                "prompt", "Translate to French: hello")));

        assertThat(body(onlyRequest("/api/v1/decisions")).path("taskKind").asText())
                .isEqualTo("translate");
    }

    @Test
    void aGateNamingAnUnknownCheckFailsTheJobBeforeAnyDecisionIsAskedFor() {
        assertThatThrownBy(() -> function.execute(context(Map.of(
                        "project", "support",
                        "taskKind", "classify",
                        "prompt", "My invoice is wrong",
                        "qualityGate", "json_valid, is_polite"))))
                .hasMessageContaining("unknown check 'is_polite'");
        wire.verify(0, postRequestedFor(urlEqualTo("/api/v1/decisions")));
    }

    // ---- fixtures

    static OutboundConnectorContextBuilder.TestConnectorContext context(Map<String, ?> variables) {
        OutboundConnectorContextBuilder.TestConnectorContext context =
                OutboundConnectorContextBuilder.create().variables(variables).build();
        TestJobContext job = (TestJobContext) context.getJobContext();
        job.setProcessInstanceKey(2251799813685249L);
        job.setBpmnProcessId("ticket-triage");
        job.setProcessDefinitionKey(2251799813685100L);
        job.setProcessDefinitionVersion(3);
        job.setElementId("classify_ticket");
        job.setElementInstanceKey(ELEMENT_INSTANCE_KEY);
        job.setTenantId("<default>");
        return context;
    }

    static String candidate(String provider, String model) {
        return "{\"provider\":\"" + provider + "\",\"model\":\"" + model
                + "\",\"maxOutputTokens\":256,\"timeoutMs\":5000}";
    }

    static String allowed(String... candidates) {
        return "{\"decisionId\":\"" + DECISION_ID + "\",\"allowed\":true,\"candidates\":["
                + String.join(",", candidates)
                + "],\"reservation\":{\"id\":\"" + UUID.randomUUID() + "\",\"amountUsd\":0.01,"
                + "\"expiresAt\":\"2026-11-26T10:15:00Z\"}}";
    }

    static String completion(String text, int promptTokens, int completionTokens, int cached, int reasoning) {
        String content = PolicyClient.JSON.valueToTree(text).toString();
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + content
                + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + promptTokens
                + ",\"completion_tokens\":"
                + completionTokens + ",\"total_tokens\":" + (promptTokens + completionTokens)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoning + "}}}";
    }

    static void stubDecision(String idempotencyKey, String decisionJson) {
        WireStubs.decision(wire, idempotencyKey, decisionJson);
    }

    static void stubCompletion(String provider, int status, String body) {
        WireStubs.completion(wire, provider, status, body);
    }

    static void stubOutcome(String costUsd) {
        WireStubs.outcome(wire, DECISION_ID, CALL_ID, costUsd);
    }

    static LoggedRequest onlyRequest(String path) {
        return WireStubs.onlyRequest(wire, path);
    }

    static JsonNode score(JsonNode scores, String name) {
        for (JsonNode score : scores) {
            if (score.path("name").asText().equals(name)) {
                return score;
            }
        }
        throw new AssertionError("no score " + name + " in " + scores);
    }

    static JsonNode scoreOf(JsonNode scores, String name, int attemptNo) {
        for (JsonNode score : scores) {
            if (score.path("name").asText().equals(name)
                    && score.path("attemptNo").asInt() == attemptNo) {
                return score;
            }
        }
        throw new AssertionError("no score " + name + " of attempt " + attemptNo + " in " + scores);
    }

    static JsonNode body(LoggedRequest request) {
        return WireStubs.body(request);
    }
}
