package io.aiops.stockruntime;

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
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The AI task connector in Camunda's own connector runtime, the documented way to add a custom connector: the stock
 * runtime ({@link StockConnectorRuntime}, nothing of ours configured) runs in a JVM of its own whose classpath is the
 * runtime's libraries plus {@code ai-task-connector-<version>-with-dependencies.jar}, configured by environment
 * variables only, as the runtime's Docker image is. The Zeebe engine (in memory), the policy service (WireMock) and
 * the provider simulator are reached over real gRPC and HTTP.
 */
class StockConnectorRuntimeTest {

    static final String AI_TASK_TYPE = "io.aiops:ai-task:1";
    static final String ERROR_EXPRESSION =
            "=if error.code != null and starts with(error.code, \"AI_\") then bpmnError(error.code, error.message,"
                    + " if error.variables = null then {} else error.variables) else null";
    static final String PROMPT =
            "Classify the ticket as one of: billing, technical, other. Ticket: My invoice is wrong";
    static final UUID CALL_ID = UUID.fromString("0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9");
    static final ObjectMapper JSON = new ObjectMapper();

    static ZeebeTestEngine engine;
    static WireMockServer policy;
    static ProviderSimulator simulator;
    static CamundaClient client;

    @BeforeAll
    static void startServices() {
        engine = EngineFactory.create();
        engine.start();
        policy = new WireMockServer(options().dynamicPort());
        policy.start();
        simulator = ProviderSimulator.start(SimulatorConfig.builder().port(0).build());
        client = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://" + engine.getGatewayAddress()))
                .preferRestOverGrpc(false)
                .build();
    }

    @AfterAll
    static void stopServices() {
        client.close();
        simulator.close();
        policy.stop();
        engine.stop();
    }

    @BeforeEach
    void stubPolicyService() {
        BpmnAssert.initRecordStream(RecordStream.of(engine.getRecordStreamSource()));
        policy.resetAll();
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

    /** Registered the way the runtime's documentation shows for a custom connector: CONNECTOR_<NAME>_* variables. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RegisteredByEnvironmentVariables {

        StockRuntime runtime;

        @BeforeAll
        void start() throws IOException {
            runtime = StockRuntime.start(
                    "env-registration",
                    Map.of(
                            "CONNECTOR_AITASK_FUNCTION",
                            "io.aiops.connector.AiTaskConnectorFunction",
                            "CONNECTOR_AITASK_TYPE",
                            AI_TASK_TYPE));
        }

        @AfterAll
        void stop() {
            runtime.close();
        }

        @Test
        void anAiTaskCompletesWithTheAnswerInItsVariables() throws Exception {
            ProcessInstanceEvent instance = run(process("stock-env-task", "support"));

            awaitCompletion(instance, runtime);
            BpmnAssert.assertThat(inspected(instance)).hasPassedElement("done");
            JsonNode result = variable(instance, "aiResult");
            assertThat(result.path("text").asText()).isEqualTo("billing");
            assertThat(result.path("aiCall").path("model").asText()).isEqualTo("gpt-4o-mini");
            assertThat(variable(instance, "aiCall").path("callId").asText()).isEqualTo(CALL_ID.toString());
            // the connector authenticated with the key from the runtime's environment
            assertThat(policy.findAll(postRequestedFor(urlEqualTo("/api/v1/decisions")))
                            .getFirst()
                            .getHeader("Authorization"))
                    .isEqualTo("Bearer stock-worker-key");
        }

        @Test
        void aBudgetDenialIsRaisedAsTheNamedBpmnError() {
            ProcessInstanceEvent instance = run(process("stock-env-denied", "over-budget"));

            awaitCompletion(instance, runtime);
            BpmnAssert.assertThat(inspected(instance))
                    .hasPassedElement("budget_exceeded")
                    .hasNotPassedElement("done");
            policy.verify(0, postRequestedFor(urlPathMatching("/api/v1/decisions/.*/outcome")));
        }
    }

    /** Dropped in with nothing but the jar: the runtime finds both connectors through the jar's SPI entry. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class DiscoveredThroughTheJarsServiceEntry {

        StockRuntime runtime;

        @BeforeAll
        void start() throws IOException {
            runtime = StockRuntime.start("spi-discovery", Map.of());
        }

        @AfterAll
        void stop() {
            runtime.close();
        }

        @Test
        void anAiTaskCompletesWithTheAnswerInItsVariables() throws Exception {
            ProcessInstanceEvent instance = run(process("stock-spi-task", "support"));

            awaitCompletion(instance, runtime);
            BpmnAssert.assertThat(inspected(instance)).hasPassedElement("done");
            assertThat(variable(instance, "aiResult").path("text").asText()).isEqualTo("billing");
            assertThat(runtime.log()).contains(AI_TASK_TYPE).contains("io.aiops:ai-feedback:1");
        }
    }

    /** The stock runtime in a JVM of its own, configured by environment variables only. */
    record StockRuntime(Process process, Path logFile) implements AutoCloseable {

        static StockRuntime start(String name, Map<String, String> registration) throws IOException {
            Path work = Path.of(System.getProperty("stock-runtime.custom-dir")).getParent();
            Path log = work.resolve(name + ".log");
            List<String> classpath = new ArrayList<>();
            classpath.add(System.getProperty("stock-runtime.classes"));
            classpath.add(Files.readString(Path.of(System.getProperty("stock-runtime.classpath-file")))
                    .strip());
            try (Stream<Path> custom = Files.list(Path.of(System.getProperty("stock-runtime.custom-dir")))) {
                // /opt/custom/* of the runtime's image
                custom.filter(p -> p.toString().endsWith(".jar")).forEach(p -> classpath.add(p.toString()));
            }
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx512m",
                            "-cp",
                            String.join(File.pathSeparator, classpath),
                            StockConnectorRuntime.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            // nothing of the test JVM's own environment may register or configure anything
            env.keySet()
                    .removeIf(k -> k.startsWith("CONNECTOR_")
                            || k.startsWith("CAMUNDA_")
                            || k.startsWith("ZEEBE_")
                            || k.startsWith("AIOPS_"));
            env.put("CAMUNDA_CLIENT_MODE", "self-managed");
            env.put("CAMUNDA_CLIENT_GRPCADDRESS", "http://" + engine.getGatewayAddress());
            env.put("CAMUNDA_CLIENT_PREFERRESTOVERGRPC", "false");
            env.put("CAMUNDA_CONNECTOR_POLLING_ENABLED", "false");
            env.put("CAMUNDA_CONNECTOR_WEBHOOK_ENABLED", "false");
            env.put("SERVER_PORT", "0");
            env.put("AIOPS_POLICY_URL", policy.baseUrl());
            env.put("AIOPS_POLICY_API_KEY", "stock-worker-key");
            env.put("AIOPS_PROVIDERS", "openai");
            env.put("AIOPS_PROVIDER_OPENAI_BASE_URL", simulator.openAiBaseUri().toString());
            env.put("AIOPS_PROVIDER_OPENAI_API_KEY", "sk-simulated");
            env.put("AIOPS_FAIL_OPEN_SPOOL_DIR", work.resolve(name + "-spool").toString());
            env.putAll(registration);
            return new StockRuntime(builder.start(), log);
        }

        /** What the runtime has logged so far. */
        String log() throws IOException {
            return Files.readString(logFile);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- fixtures

    static BpmnModelInstance process(String id, String project) {
        return Bpmn.createExecutableProcess(id)
                .startEvent()
                .serviceTask("ai_task")
                .zeebeJobType(AI_TASK_TYPE)
                .zeebeJobRetries("1")
                .zeebeInputExpression("\"" + project + "\"", "project")
                .zeebeInputExpression("\"classify\"", "taskKind")
                .zeebeInputExpression("\"" + PROMPT + "\"", "prompt")
                .zeebeTaskHeader("resultVariable", "aiResult")
                .zeebeTaskHeader("resultExpression", "={aiCall: aiCall}")
                .zeebeTaskHeader("errorExpression", ERROR_EXPRESSION)
                .boundaryEvent("budget_exceeded_boundary")
                .error("AI_BUDGET_EXCEEDED")
                .endEvent("budget_exceeded")
                .moveToActivity("ai_task")
                .endEvent("done")
                .done();
    }

    static ProcessInstanceEvent run(BpmnModelInstance process) {
        String id = process.getModelElementsByType(io.camunda.zeebe.model.bpmn.instance.Process.class)
                .iterator()
                .next()
                .getId();
        client.newDeployResourceCommand()
                .addProcessModel(process, id + ".bpmn")
                .send()
                .join();
        return client.newCreateInstanceCommand()
                .bpmnProcessId(id)
                .latestVersion()
                .send()
                .join();
    }

    /** Waits for the instance to complete; a runtime that died or never took the job shows its log. */
    static void awaitCompletion(ProcessInstanceEvent instance, StockRuntime runtime) {
        // the runtime's JVM starts while this waits: its first poll takes the job
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .failFast(
                        "the connector runtime stopped",
                        () -> !runtime.process().isAlive())
                .untilAsserted(() -> BpmnAssert.assertThat(inspected(instance))
                        .as("instance %s; runtime log %s", instance.getProcessInstanceKey(), runtime.log())
                        .isCompleted());
    }

    static InspectedProcessInstance inspected(ProcessInstanceEvent instance) {
        return new InspectedProcessInstance(instance.getProcessInstanceKey());
    }

    static JsonNode variable(ProcessInstanceEvent instance, String name) throws Exception {
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
}
