package io.aiops.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aiops.connector.AiTaskConnectorFunction;
import io.aiops.simulator.ProviderSimulator;
import io.aiops.simulator.SimulatorConfig;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ProcessInstanceEvent;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.assertions.BpmnAssert;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.process.test.inspections.model.InspectedProcessInstance;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker runtime as users run it: the connector runtime and the plain job worker poll a real (in-memory) Zeebe
 * engine, call the policy service (WireMock) and the provider simulator, and complete BPMN tasks with the answer.
 */
// metrics export is off in Spring Boot tests unless asked for: the Prometheus endpoint is part of what is tested
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class WorkerRuntimeProcessTest {

    static final ZeebeTestEngine ENGINE = EngineFactory.create();
    static final WireMockServer POLICY = new WireMockServer(options().dynamicPort());
    static final ProviderSimulator SIMULATOR =
            ProviderSimulator.start(SimulatorConfig.builder().port(0).build());
    static final UUID CALL_ID = UUID.fromString("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b");
    static final String PROMPT =
            "Classify the ticket as one of: billing, technical, other. Ticket: My invoice is wrong";
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        ENGINE.start();
        POLICY.start();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("camunda.client.mode", () -> "self-managed");
        registry.add("camunda.client.grpc-address", () -> "http://" + ENGINE.getGatewayAddress());
        registry.add("camunda.client.prefer-rest-over-grpc", () -> "false");
        registry.add("camunda.connector.polling.enabled", () -> "false");
        registry.add("camunda.connector.webhook.enabled", () -> "false");
        registry.add("aiops.policy.url", POLICY::baseUrl);
        registry.add("aiops.policy.api-key", () -> "worker-key");
        registry.add(
                "aiops.providers.openai.base-url",
                () -> SIMULATOR.openAiBaseUri().toString());
        // the provider key is a connector secret, resolved through the runtime's environment secret provider
        registry.add("aiops.providers.openai.api-key", () -> "{{secrets.OPENAI_API_KEY}}");
        registry.add("AIOPS_SECRET_OPENAI_API_KEY", () -> "sk-simulated");
        registry.add("aiops.job-worker.enabled", () -> "true");
        registry.add("aiops.job-worker.type", () -> "aiops-test:ai-task-worker");
        registry.add("aiops.job-worker.retry-backoff", () -> "1s");
        // spans go to the in-memory exporter below, in batches sent this often
        registry.add("aiops.tracing.export-delay", () -> "100ms");
    }

    @Autowired
    CamundaClient client;

    @LocalServerPort
    int port;

    /** What a tracing backend would receive: a span exporter bean turns the worker's tracing on. */
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    /** Stops the engine and fakes when the context closes: after its job workers have stopped polling them. */
    @TestConfiguration
    static class Infrastructure {
        @Bean
        SpanExporter inMemorySpans() {
            return SPANS;
        }

        @Bean(destroyMethod = "close")
        AutoCloseable externalServices() {
            return () -> {
                POLICY.stop();
                SIMULATOR.close();
                ENGINE.stop();
            };
        }
    }

    @BeforeEach
    void stubPolicyService() {
        // the assertions' record stream is per thread: set it for this test's thread
        BpmnAssert.initRecordStream(RecordStream.of(ENGINE.getRecordStreamSource()));
        POLICY.resetAll();
        stubPolicyService(POLICY);
    }

    /**
     * The policy service's answers the AI task needs: an allowed decision routed to the simulator's {@code
     * gpt-4o-mini}, a budget denial for project {@code over-budget}, and a recorded outcome with call id {@link
     * #CALL_ID}.
     */
    static void stubPolicyService(WireMockServer policy) {
        policy.stubFor(
                post(urlEqualTo("/api/v1/decisions"))
                        .atPriority(5)
                        .willReturn(
                                okJson(
                                        "{\"decisionId\":\"" + UUID.randomUUID()
                                                + "\",\"allowed\":true,\"candidates\":["
                                                + "{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"maxOutputTokens\":64,\"timeoutMs\":5000}]}")));
        policy.stubFor(post(urlEqualTo("/api/v1/decisions"))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.project", equalTo("over-budget")))
                .willReturn(okJson("{\"decisionId\":\"" + UUID.randomUUID() + "\",\"allowed\":false,"
                        + "\"reason\":\"BUDGET_EXCEEDED\",\"reasonMessage\":\"budget over-budget is spent\"}")));
        policy.stubFor(post(urlPathMatching("/api/v1/decisions/.*/outcome"))
                .willReturn(okJson("{\"callId\":\"" + CALL_ID + "\",\"costUsd\":0.0000123,\"status\":\"SUCCEEDED\"}")));
    }

    @Test
    void connectorRuntimeCompletesTheAiTaskWithTheAnswerAndTheAiCallRecord() throws Exception {
        ProcessInstanceEvent instance = run(process("connector-task", AiTaskConnectorFunction.TYPE, "support"));

        await().pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> BpmnAssert.assertThat(inspected(instance)).isCompleted());
        BpmnAssert.assertThat(inspected(instance)).hasPassedElement("done");
        JsonNode result = variable(instance, "aiResult");
        assertThat(result.path("text").asText()).isEqualTo("billing");
        assertThat(result.path("aiCall").path("callId").asText()).isEqualTo(CALL_ID.toString());
        assertThat(result.path("aiCall").path("model").asText()).isEqualTo("gpt-4o-mini");
        JsonNode aiCall = variable(instance, "aiCall");
        assertThat(aiCall.path("costUsd").asText()).isEqualTo("0.0000123");

        JsonNode decision = onlyDecisionFor(instance);
        assertThat(decision.path("idempotencyKey").asText()).startsWith("ei:").endsWith(":1");
        assertThat(decision.path("elementId").asText()).isEqualTo("ai_task");
        assertThat(decision.path("jobKey").isNull()).isTrue();
        JsonNode outcome = body(POLICY.findAll(postRequestedFor(urlPathMatching("/api/v1/decisions/.*/outcome")))
                .getFirst());
        assertThat(outcome.path("attempts").get(0).path("inputTokens").asLong()).isPositive();
        assertThat(outcome.path("responseText").asText()).isEqualTo("billing");

        // the call shows in the worker's Prometheus metrics, by workflow, element and model, never by instance
        java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://localhost:" + port + "/actuator/prometheus"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("gen_ai_client_token_usage_tokens_count{")
                .contains("element_id=\"ai_task\"")
                .contains("gen_ai_request_model=\"gpt-4o-mini\"")
                .contains("gen_ai_client_cost_usd_total{")
                // latency buckets for p50/p95, at the boundaries the GenAI conventions advise
                .containsPattern("gen_ai_client_operation_duration_seconds_bucket\\{[^}]*le=\"0\\.64\"")
                .contains("aiops_quality_checks_total{")
                // the circuit breaker of the model called, from Resilience4j's own meters
                .contains("resilience4j_circuitbreaker_state{")
                .containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"[^\"]*gpt-4o-mini\"")
                .doesNotContain(String.valueOf(instance.getProcessInstanceKey()));

        // the call's span, with the instance it ran in (fine on a span), its decision and its rule checks as events
        SpanData call = await().atMost(Duration.ofSeconds(10))
                .until(() -> callSpanOf(instance), java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(call.getName()).isEqualTo("chat gpt-4o-mini");
        assertThat(call.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
                .isEqualTo("openai");
        assertThat(call.getAttributes().get(AttributeKey.stringKey("bpmn_process_id")))
                .isEqualTo("connector-task");
        assertThat(call.getAttributes().get(AttributeKey.stringKey("element_id")))
                .isEqualTo("ai_task");
        assertThat(call.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
                .isEqualTo(outcome.path("attempts").get(0).path("inputTokens").asLong());
        assertThat(call.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
                .isEqualTo(outcome.path("attempts").get(0).path("outputTokens").asLong());
        assertThat(call.getAttributes().get(AttributeKey.stringKey("aiops.call.id")))
                .isEqualTo(CALL_ID.toString());
        assertThat(call.getEvents())
                .filteredOn(e -> e.getName().equals("gen_ai.evaluation.result"))
                .hasSize(outcome.path("scores").size())
                .isNotEmpty();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(SPANS.getFinishedSpanItems())
                        .filteredOn(s -> s.getParentSpanId().equals(call.getSpanId()))
                        .extracting(SpanData::getName)
                        .containsExactlyInAnyOrder("aiops.policy.decide", "chat gpt-4o-mini"));
        // the ledger is told the trace the call was made under
        assertThat(outcome.path("traceId").asText()).isEqualTo(call.getTraceId());
    }

    /** The span of the AI call made for this process instance, once exported. */
    static java.util.Optional<SpanData> callSpanOf(ProcessInstanceEvent instance) {
        return SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.INTERNAL)
                .filter(s -> Long.valueOf(instance.getProcessInstanceKey())
                        .equals(s.getAttributes().get(AttributeKey.longKey("process_instance_key"))))
                .findFirst();
    }

    @Test
    void connectorDenialIsRaisedAsBpmnErrorByTheDefaultErrorExpression() {
        ProcessInstanceEvent instance = run(process("connector-denied", AiTaskConnectorFunction.TYPE, "over-budget"));

        await().pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> BpmnAssert.assertThat(inspected(instance)).isCompleted());
        BpmnAssert.assertThat(inspected(instance))
                .hasPassedElement("budget_exceeded")
                .hasNotPassedElement("done");
        POLICY.verify(0, postRequestedFor(urlPathMatching("/api/v1/decisions/.*/outcome")));
    }

    @Test
    void plainJobWorkerCompletesTheTaskAndSendsTheJobKey() throws Exception {
        ProcessInstanceEvent instance = run(process("worker-task", "aiops-test:ai-task-worker", "support"));

        await().pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> BpmnAssert.assertThat(inspected(instance)).isCompleted());
        BpmnAssert.assertThat(inspected(instance)).hasPassedElement("done");
        assertThat(variable(instance, "aiResult").path("text").asText()).isEqualTo("billing");
        assertThat(variable(instance, "aiCall").path("callId").asText()).isEqualTo(CALL_ID.toString());
        JsonNode decision = onlyDecisionFor(instance);
        assertThat(decision.path("jobKey").asLong()).isPositive();
        assertThat(decision.path("idempotencyKey").asText()).endsWith(":1");
    }

    @Test
    void plainJobWorkerRaisesTheDenialAsBpmnError() {
        ProcessInstanceEvent instance = run(process("worker-denied", "aiops-test:ai-task-worker", "over-budget"));

        await().pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> BpmnAssert.assertThat(inspected(instance)).isCompleted());
        BpmnAssert.assertThat(inspected(instance))
                .hasPassedElement("budget_exceeded")
                .hasNotPassedElement("done");
    }

    @Test
    void connectorKeepsThePaidAnswerThroughAPolicyOutageAndNeverCallsTheModelTwice() throws Exception {
        paidAnswerSurvivesAnOutcomeOutage(AiTaskConnectorFunction.TYPE, "connector-outage");
    }

    @Test
    void plainJobWorkerKeepsThePaidAnswerThroughAPolicyOutageAndNeverCallsTheModelTwice() throws Exception {
        paidAnswerSurvivesAnOutcomeOutage("aiops-test:ai-task-worker", "worker-outage");
    }

    /**
     * The policy service refuses every outcome post of the first delivery (longer than the outcome retries): the job
     * fails, and the next delivery records the answer the first one kept instead of paying for another.
     */
    private void paidAnswerSurvivesAnOutcomeOutage(String jobType, String processId) throws Exception {
        String outage = "outage-" + processId;
        for (int failure = 0; failure < 3; failure++) {
            POLICY.stubFor(post(urlPathMatching("/api/v1/decisions/.*/outcome"))
                    .atPriority(1)
                    .inScenario(outage)
                    .whenScenarioStateIs(failure == 0 ? Scenario.STARTED : "failed-" + failure)
                    .willSetStateTo("failed-" + (failure + 1))
                    .willReturn(aResponse().withStatus(503).withBody("policy service restarting")));
        }
        long modelCallsBefore = SIMULATOR.stats().requests("gpt-4o-mini");

        BpmnModelInstance process = Bpmn.createExecutableProcess(processId)
                .startEvent()
                .serviceTask("ai_task")
                .zeebeJobType(jobType)
                .zeebeJobRetries("3")
                .zeebeInputExpression("\"support\"", "project")
                .zeebeInputExpression("\"classify\"", "taskKind")
                .zeebeInputExpression("\"" + PROMPT + "\"", "prompt")
                .zeebeTaskHeader("resultVariable", "aiResult")
                .zeebeTaskHeader("resultExpression", "={aiCall: aiCall}")
                .zeebeTaskHeader("errorExpression", AiTaskConnectorFunction.DEFAULT_ERROR_EXPRESSION)
                .zeebeTaskHeader("retryBackoff", "PT1S")
                .endEvent("done")
                .done();
        ProcessInstanceEvent instance = run(process);

        await().pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> BpmnAssert.assertThat(inspected(instance)).isCompleted());
        BpmnAssert.assertThat(inspected(instance)).hasPassedElement("done");
        assertThat(SIMULATOR.stats().requests("gpt-4o-mini") - modelCallsBefore)
                .as("model calls paid")
                .isEqualTo(1);
        assertThat(variable(instance, "aiResult").path("text").asText()).isEqualTo("billing");
        JsonNode aiCall = variable(instance, "aiCall");
        assertThat(aiCall.path("callId").asText()).isEqualTo(CALL_ID.toString());
        assertThat(aiCall.path("replayed").asBoolean())
                .as("recorded from the kept answer")
                .isTrue();
        // the second delivery asked for no decision: it only recorded the kept answer
        onlyDecisionFor(instance);
        List<JsonNode> outcomes =
                POLICY.findAll(postRequestedFor(urlPathMatching("/api/v1/decisions/.*/outcome"))).stream()
                        .map(WorkerRuntimeProcessTest::body)
                        .toList();
        assertThat(outcomes)
                .as("3 refused in the first delivery, 1 recorded in the next")
                .hasSize(4);
        assertThat(outcomes).extracting(o -> o.path("responseText").asText()).containsOnly("billing");
    }

    @Test
    void actuatorHealthIsUp() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("UP");
    }

    // ---- fixtures

    static BpmnModelInstance process(String id, String jobType, String project) {
        return Bpmn.createExecutableProcess(id)
                .startEvent()
                .serviceTask("ai_task")
                .zeebeJobType(jobType)
                .zeebeJobRetries("1")
                .zeebeInputExpression("\"" + project + "\"", "project")
                .zeebeInputExpression("\"classify\"", "taskKind")
                .zeebeInputExpression("\"" + PROMPT + "\"", "prompt")
                .zeebeTaskHeader("resultVariable", "aiResult")
                .zeebeTaskHeader("resultExpression", "={aiCall: aiCall}")
                .zeebeTaskHeader("errorExpression", AiTaskConnectorFunction.DEFAULT_ERROR_EXPRESSION)
                .boundaryEvent("budget_exceeded_boundary")
                .error("AI_BUDGET_EXCEEDED")
                .endEvent("budget_exceeded")
                .moveToActivity("ai_task")
                .endEvent("done")
                .done();
    }

    ProcessInstanceEvent run(BpmnModelInstance process) {
        String id = process.getModelElementsByType(io.camunda.zeebe.model.bpmn.instance.Process.class)
                .iterator()
                .next()
                .getId();
        client.newDeployResourceCommand()
                .addProcessModel(process, id + ".bpmn")
                .send()
                .join();
        // a process variable the task does not use: the job worker sees it and must ignore it
        return client.newCreateInstanceCommand()
                .bpmnProcessId(id)
                .latestVersion()
                .variables(Map.of("ticketId", 4711))
                .send()
                .join();
    }

    static InspectedProcessInstance inspected(ProcessInstanceEvent instance) {
        return new InspectedProcessInstance(instance.getProcessInstanceKey());
    }

    static JsonNode variable(ProcessInstanceEvent instance, String name) throws Exception {
        return variable(ENGINE, instance, name);
    }

    /** The last value the process instance's variable took in the engine, as JSON. */
    static JsonNode variable(ZeebeTestEngine engine, ProcessInstanceEvent instance, String name) throws Exception {
        List<Record<VariableRecordValue>> records = StreamSupport.stream(
                        RecordStream.of(engine.getRecordStreamSource())
                                .variableRecords()
                                .spliterator(),
                        false)
                .filter(r -> r.getValue().getProcessInstanceKey() == instance.getProcessInstanceKey())
                .filter(r -> r.getValue().getName().equals(name))
                .toList();
        assertThat(records).as("variable %s", name).isNotEmpty();
        return JSON.readTree(records.getLast().getValue().getValue());
    }

    static JsonNode onlyDecisionFor(ProcessInstanceEvent instance) {
        List<JsonNode> decisions = POLICY.findAll(postRequestedFor(urlEqualTo("/api/v1/decisions"))).stream()
                .map(WorkerRuntimeProcessTest::body)
                .filter(d -> d.path("processInstanceKey").asLong() == instance.getProcessInstanceKey())
                .toList();
        assertThat(decisions).hasSize(1);
        assertThat(POLICY.findAll(postRequestedFor(urlEqualTo("/api/v1/decisions")))
                        .getFirst()
                        .getHeader("Authorization"))
                .isEqualTo("Bearer worker-key");
        return decisions.getFirst();
    }

    static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
