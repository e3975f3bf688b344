package io.aiops.worker;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiops.connector.AiTaskConnectorFunction;
import io.aiops.simulator.ProviderSimulator;
import io.aiops.simulator.SimulatorConfig;
import io.camunda.client.CamundaClient;
import io.camunda.client.CamundaClientConfiguration;
import io.camunda.client.api.response.ProcessInstanceEvent;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.assertions.BpmnAssert;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.process.test.inspections.model.InspectedProcessInstance;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker runtime against a self-managed gateway that wants OAuth: client id and secret, token URL and audience as
 * the Camunda Spring SDK reads them. The identity provider is a WireMock token endpoint; the gateway is the in-memory
 * Zeebe engine, reached at the address given by the SDK's older name {@code zeebe.grpc.address} (what
 * {@code ZEEBE_GRPC_ADDRESS} sets, as existing deployments of the worker do).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext
class SelfManagedOAuthTest {

    static final String LEGACY_GATEWAY_ADDRESS = "zeebe.grpc.address";
    static final ZeebeTestEngine ENGINE = EngineFactory.create();
    static final WireMockServer POLICY = new WireMockServer(options().dynamicPort());
    static final WireMockServer IDENTITY = new WireMockServer(options().dynamicPort());
    static final ProviderSimulator SIMULATOR =
            ProviderSimulator.start(SimulatorConfig.builder().port(0).build());

    static {
        ENGINE.start();
        POLICY.start();
        IDENTITY.start();
        IDENTITY.stubFor(post(urlEqualTo("/realms/camunda-platform/protocol/openid-connect/token"))
                .willReturn(okJson("{\"access_token\":\"sm-token-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        WorkerRuntimeProcessTest.stubPolicyService(POLICY);
        // the SDK maps its older names while the environment is prepared, where a system property (or the
        // environment variable ZEEBE_GRPC_ADDRESS) is seen and a dynamic test property is not
        System.setProperty(LEGACY_GATEWAY_ADDRESS, "http://" + ENGINE.getGatewayAddress());
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("camunda.client.mode", () -> "self-managed");
        registry.add("camunda.client.prefer-rest-over-grpc", () -> "false");
        registry.add("camunda.client.auth.method", () -> "oidc");
        registry.add("camunda.client.auth.client-id", () -> "aiops-worker");
        registry.add("camunda.client.auth.client-secret", () -> "worker-secret");
        registry.add(
                "camunda.client.auth.token-url",
                () -> IDENTITY.baseUrl() + "/realms/camunda-platform/protocol/openid-connect/token");
        registry.add("camunda.client.auth.audience", () -> "zeebe-api");
        // a fresh token cache: a token cached by an earlier run would spare the token request
        registry.add(
                "camunda.client.auth.credentials-cache-path",
                () -> "target/camunda-credentials-" + System.nanoTime() + ".json");
        registry.add("aiops.policy.url", POLICY::baseUrl);
        registry.add("aiops.policy.api-key", () -> "worker-key");
        registry.add(
                "aiops.providers.openai.base-url",
                () -> SIMULATOR.openAiBaseUri().toString());
        registry.add("AIOPS_SECRET_OPENAI_API_KEY", () -> "sk-simulated");
    }

    /** Stops the engine and fakes when the context closes: after its job workers have stopped polling them. */
    @TestConfiguration
    static class Infrastructure {
        @Bean(destroyMethod = "close")
        AutoCloseable externalServices() {
            return () -> {
                POLICY.stop();
                IDENTITY.stop();
                SIMULATOR.close();
                ENGINE.stop();
                System.clearProperty(LEGACY_GATEWAY_ADDRESS);
            };
        }
    }

    @Autowired
    CamundaClient client;

    @Autowired
    CamundaClientConfiguration configuration;

    @Test
    void theWorkerRunsAnAiTaskWithATokenOfTheConfiguredIdentityProvider() throws Exception {
        BpmnAssert.initRecordStream(RecordStream.of(ENGINE.getRecordStreamSource()));
        assertThat(configuration.getGrpcAddress()).isEqualTo(URI.create("http://" + ENGINE.getGatewayAddress()));

        client.newDeployResourceCommand()
                .addProcessModel(
                        WorkerRuntimeProcessTest.process("oauth-task", AiTaskConnectorFunction.TYPE, "support"),
                        "oauth-task.bpmn")
                .send()
                .join();
        ProcessInstanceEvent instance = client.newCreateInstanceCommand()
                .bpmnProcessId("oauth-task")
                .latestVersion()
                .send()
                .join();

        await().pollInSameThread()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> BpmnAssert.assertThat(new InspectedProcessInstance(instance.getProcessInstanceKey()))
                                .isCompleted());
        BpmnAssert.assertThat(new InspectedProcessInstance(instance.getProcessInstanceKey()))
                .hasPassedElement("done");
        assertThat(WorkerRuntimeProcessTest.variable(ENGINE, instance, "aiResult")
                        .path("text")
                        .asText())
                .isEqualTo("billing");
        // the client asked the identity provider for a token with the worker's credentials, for the gateway's audience
        IDENTITY.verify(postRequestedFor(urlEqualTo("/realms/camunda-platform/protocol/openid-connect/token"))
                .withFormParam("grant_type", equalTo("client_credentials"))
                .withFormParam("client_id", equalTo("aiops-worker"))
                .withFormParam("client_secret", equalTo("worker-secret"))
                .withFormParam("audience", equalTo("zeebe-api")));
        // and it is that token every command carries
        Map<String, String> headers = new HashMap<>();
        configuration.getCredentialsProvider().applyCredentials(headers::put);
        assertThat(headers).containsEntry("Authorization", "Bearer sm-token-1");
    }
}
