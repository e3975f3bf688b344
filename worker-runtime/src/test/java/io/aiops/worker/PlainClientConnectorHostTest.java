package io.aiops.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiops.connector.AiTaskConnectorFunction;
import io.aiops.connector.pipeline.AiCallPipeline;
import io.aiops.connector.pipeline.RegistryCandidateCaller;
import io.aiops.policy.api.PolicyClient;
import io.aiops.providers.ProviderEndpoint;
import io.aiops.providers.ProviderRegistry;
import io.aiops.providers.ResilienceSettings;
import io.aiops.providers.ResilientProviderCaller;
import io.aiops.simulator.ProviderSimulator;
import io.aiops.simulator.SimulatorConfig;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ProcessInstanceEvent;
import io.camunda.client.api.worker.BackoffSupplier;
import io.camunda.client.api.worker.JobWorker;
import io.camunda.client.jobhandling.DefaultCommandExceptionHandlingStrategy;
import io.camunda.client.metrics.DefaultNoopMetricsRecorder;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.api.secret.SecretProvider;
import io.camunda.connector.jackson.ConnectorsObjectMapperSupplier;
import io.camunda.connector.runtime.core.document.DocumentFactoryImpl;
import io.camunda.connector.runtime.core.document.store.InMemoryDocumentStore;
import io.camunda.connector.runtime.core.secret.SecretProviderAggregator;
import io.camunda.connector.runtime.core.validation.ValidationUtil;
import io.camunda.connector.runtime.metrics.ConnectorsOutboundMetrics;
import io.camunda.connector.runtime.outbound.job.SpringConnectorJobHandler;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.assertions.BpmnAssert;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.process.test.inspections.model.InspectedProcessInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hosting the connector without Spring: a plain {@link CamundaClient} job worker whose handler is the connector
 * runtime's own job handler built by hand (the recipe for embedding the connector in tests or tools). No application
 * context is started here.
 */
class PlainClientConnectorHostTest {

    private ZeebeTestEngine engine;
    private WireMockServer policy;
    private ProviderSimulator simulator;
    private CamundaClient client;
    private ScheduledExecutorService scheduler;

    @BeforeEach
    void start() {
        engine = EngineFactory.create();
        engine.start();
        BpmnAssert.initRecordStream(RecordStream.of(engine.getRecordStreamSource()));
        policy = new WireMockServer(options().dynamicPort());
        policy.start();
        simulator = ProviderSimulator.start(SimulatorConfig.builder().port(0).build());
        client = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://" + engine.getGatewayAddress()))
                .preferRestOverGrpc(false)
                .build();
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        client.close();
        scheduler.shutdownNow();
        simulator.close();
        policy.stop();
        engine.stop();
    }

    @Test
    void connectorFunctionRunsOnAPlainClientJobWorker() {
        policy.stubFor(post(urlEqualTo("/api/v1/decisions"))
                .willReturn(okJson("{\"decisionId\":\"" + UUID.randomUUID()
                        + "\",\"allowed\":true,\"candidates\":[{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\","
                        + "\"maxOutputTokens\":64,\"timeoutMs\":5000}]}")));
        policy.stubFor(post(urlPathMatching("/api/v1/decisions/.*/outcome"))
                .willReturn(okJson(
                        "{\"callId\":\"" + UUID.randomUUID() + "\",\"costUsd\":0.00001,\"status\":\"SUCCEEDED\"}")));
        Clock clock = Clock.systemUTC();
        AiCallPipeline pipeline = AiCallPipeline.builder()
                .policy(new PolicyClient(URI.create(policy.baseUrl()), "worker-key"))
                .candidates(new RegistryCandidateCaller(
                        ProviderRegistry.withBuiltInAdapters(List.of(new ProviderEndpoint(
                                "openai", "openai", simulator.openAiBaseUri(), "sk-test", Map.of()))),
                        new ResilientProviderCaller(ResilienceSettings.defaults(), clock),
                        clock))
                .clock(clock)
                .build();
        SecretProvider noSecrets = new SecretProvider() {
            @Override
            public String getSecret(String name, SecretContext context) {
                return null;
            }
        };
        SpringConnectorJobHandler handler = new SpringConnectorJobHandler(
                new ConnectorsOutboundMetrics(new SimpleMeterRegistry()),
                new DefaultCommandExceptionHandlingStrategy(
                        BackoffSupplier.newBackoffBuilder().build(), scheduler),
                new SecretProviderAggregator(List.of(noSecrets)),
                ValidationUtil.discoverDefaultValidationProviderImplementation(),
                new DocumentFactoryImpl(InMemoryDocumentStore.INSTANCE),
                ConnectorsObjectMapperSupplier.getCopy(),
                new AiTaskConnectorFunction(pipeline),
                new DefaultNoopMetricsRecorder());

        client.newDeployResourceCommand()
                .addProcessModel(
                        Bpmn.createExecutableProcess("plain-host")
                                .startEvent()
                                .serviceTask("ai_task")
                                .zeebeJobType(AiTaskConnectorFunction.TYPE)
                                .zeebeInputExpression("\"support\"", "project")
                                .zeebeInputExpression("\"classify\"", "taskKind")
                                .zeebeInputExpression("\"Answer one of: yes, no. Question: is it?\"", "prompt")
                                .zeebeTaskHeader("resultVariable", "aiResult")
                                .endEvent("done")
                                .done(),
                        "plain-host.bpmn")
                .send()
                .join();
        ProcessInstanceEvent instance = client.newCreateInstanceCommand()
                .bpmnProcessId("plain-host")
                .latestVersion()
                .send()
                .join();

        try (JobWorker worker = client.newWorker()
                .jobType(AiTaskConnectorFunction.TYPE)
                .handler(handler)
                .timeout(Duration.ofSeconds(30))
                .open()) {
            await().pollInSameThread()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> BpmnAssert.assertThat(new InspectedProcessInstance(instance.getProcessInstanceKey()))
                                    .isCompleted());
        }
        BpmnAssert.assertThat(new InspectedProcessInstance(instance.getProcessInstanceKey()))
                .hasPassedElement("done")
                .hasVariable("aiResult");
    }
}
