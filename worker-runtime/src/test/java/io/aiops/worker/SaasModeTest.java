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
import io.camunda.client.CamundaClientConfiguration;
import io.camunda.client.CredentialsProvider;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker runtime configured for Camunda SaaS the way the Camunda Spring SDK documents it: mode, client
 * credentials, cluster id and region. The client the application builds must target the cluster's gRPC and REST
 * addresses and take its tokens from the configured token URL with the SaaS audience. The SaaS cluster cannot be
 * reached from a test, so every gRPC call and REST request the client would send is refused before it leaves the
 * process and recorded with its target; the token endpoint is a local WireMock server.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        // the SDK reads the mode while the environment is prepared: static properties, not dynamic ones
        properties = {
            "camunda.client.mode=saas",
            "camunda.client.auth.client-id=saas-worker",
            "camunda.client.auth.client-secret=saas-secret",
            "camunda.client.cloud.cluster-id=" + SaasModeTest.CLUSTER_ID,
            "camunda.client.cloud.region=" + SaasModeTest.REGION,
            "aiops.policy.api-key=worker-key",
            "AIOPS_SECRET_OPENAI_API_KEY=sk-unused",
            "aiops.provider-health.enabled=false"
        })
@DirtiesContext
class SaasModeTest {

    static final String CLUSTER_ID = "8c3a1f2e-5b7d-4e69-9a0c-2d4f6b8e1a35";
    static final String REGION = "jfk-1";
    static final WireMockServer AUTH = new WireMockServer(options().dynamicPort());

    /** Every gRPC call and REST request the client tried to send, by target (and was stopped from sending). */
    static final List<String> REFUSED = new CopyOnWriteArrayList<>();

    static {
        AUTH.start();
        AUTH.stubFor(post(urlEqualTo("/oauth/token"))
                .willReturn(
                        okJson("{\"access_token\":\"saas-token-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("camunda.client.auth.token-url", () -> AUTH.baseUrl() + "/oauth/token");
        // a fresh token cache: a token cached by an earlier run would spare the token request
        registry.add(
                "camunda.client.auth.credentials-cache-path",
                () -> "target/camunda-credentials-" + System.nanoTime() + ".json");
        registry.add("aiops.policy.url", AUTH::baseUrl);
    }

    @AfterAll
    static void stop() {
        AUTH.stop();
    }

    @TestConfiguration
    static class NoTrafficToTheCloud {
        @Bean
        ClientInterceptor refuseGrpcCalls() {
            return new ClientInterceptor() {
                @Override
                public <Q, R> ClientCall<Q, R> interceptCall(
                        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                    REFUSED.add(next.authority() + " " + method.getFullMethodName());
                    return new ClientCall<>() {
                        @Override
                        public void start(Listener<R> listener, Metadata headers) {
                            listener.onClose(
                                    Status.UNAVAILABLE.withDescription("no SaaS cluster in tests"), new Metadata());
                        }

                        @Override
                        public void request(int count) {}

                        @Override
                        public void cancel(String message, Throwable cause) {}

                        @Override
                        public void halfClose() {}

                        @Override
                        public void sendMessage(Q message) {}
                    };
                }
            };
        }

        @Bean
        AsyncExecChainHandler refuseRestRequests() {
            return (request, entityProducer, scope, chain, callback) -> {
                REFUSED.add(request.getAuthority() + " " + request.getMethod() + " " + request.getRequestUri());
                callback.failed(new java.io.IOException("no SaaS cluster in tests"));
            };
        }
    }

    @Autowired
    CamundaClientConfiguration configuration;

    @Test
    void theClientTargetsTheClusterOfTheConfiguredIdAndRegion() {
        assertThat(configuration.getGrpcAddress())
                .isEqualTo(URI.create("https://" + CLUSTER_ID + "." + REGION + ".zeebe.camunda.io:443"));
        assertThat(configuration.getRestAddress())
                .isEqualTo(URI.create("https://" + REGION + ".zeebe.camunda.io:443/" + CLUSTER_ID));
    }

    @Test
    void theConnectorRuntimesPollersPollTheCluster() {
        // the connector runtime opens its job workers at start-up; each poll is a call to the cluster's gateway
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(REFUSED).anyMatch(call -> call.endsWith("gateway_protocol.Gateway/ActivateJobs")));
        assertThat(REFUSED)
                .allMatch(call -> call.startsWith(CLUSTER_ID + "." + REGION + ".zeebe.camunda.io:443 ")
                        || call.startsWith(REGION + ".zeebe.camunda.io:443 "));
    }

    @Test
    void everyCallCarriesATokenOfTheConfiguredAuthServerForTheSaasAudience() throws Exception {
        CredentialsProvider credentials = configuration.getCredentialsProvider();
        Map<String, String> headers = new HashMap<>();

        // what the client does before each command it sends
        credentials.applyCredentials(headers::put);

        assertThat(headers).containsEntry("Authorization", "Bearer saas-token-1");
        AUTH.verify(postRequestedFor(urlEqualTo("/oauth/token"))
                .withFormParam("grant_type", equalTo("client_credentials"))
                .withFormParam("client_id", equalTo("saas-worker"))
                .withFormParam("client_secret", equalTo("saas-secret"))
                .withFormParam("audience", equalTo("zeebe.camunda.io")));
    }
}
