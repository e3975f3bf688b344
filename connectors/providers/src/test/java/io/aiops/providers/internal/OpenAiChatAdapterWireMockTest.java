package io.aiops.providers.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.aiops.core.TokenUsage;
import io.aiops.providers.CompletionRequest;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderEndpoint;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The adapter's requests and its error classification against a stubbed HTTP server. */
class OpenAiChatAdapterWireMockTest {

    private static WireMockServer server;
    private final OpenAiChatAdapter adapter = OpenAiChatAdapter.openAi();

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    @Test
    void sendsModelMessagesLimitSchemaAndBearerKey() {
        server.stubFor(post("/v1/chat/completions").willReturn(okJson("chat-basic.json")));
        String schema = "{\"type\":\"object\",\"properties\":{\"category\":{\"type\":\"string\"}},"
                + "\"required\":[\"category\"],\"additionalProperties\":false}";
        CompletionResponse response = adapter.complete(
                endpoint("sk-secret", Map.of("header.OpenAI-Project", "proj_1")),
                new CompletionRequest(
                        "gpt-4o-mini", "Be terse.", "Classify: refund", 64, Duration.ofSeconds(5), schema));

        assertThat(response.usage()).isEqualTo(new TokenUsage(19, 0, 0, 10, 0));
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer sk-secret"))
                .withHeader("OpenAI-Project", equalTo("proj_1"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
            {"model":"gpt-4o-mini","max_tokens":64,
             "messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Classify: refund"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"result","strict":true,
               "schema":%s}}}""".formatted(schema))));
    }

    @Test
    void withoutKeyOrSchemaSendsNeitherAndHonoursTheMaxTokensFieldOption() {
        server.stubFor(post("/v1/chat/completions").willReturn(okJson("chat-basic.json")));
        adapter.complete(
                endpoint(null, Map.of(OpenAiChatAdapter.OPTION_MAX_TOKENS_FIELD, "max_completion_tokens")),
                new CompletionRequest("o3-mini", null, "hi", 100, null, null));
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", absent())
                .withRequestBody(matchingJsonPath("$.max_completion_tokens", equalTo("100")))
                .withRequestBody(matchingJsonPath("$.response_format", absent()))
                .withRequestBody(matchingJsonPath("$.messages.length()", equalTo("1"))));
    }

    @Test
    void azureUsesTheDeploymentPathApiVersionAndApiKeyHeader() {
        server.stubFor(post(urlPathEqualTo("/openai/deployments/prod-gpt4o/chat/completions"))
                .willReturn(okJson("chat-basic.json")));
        ProviderEndpoint azure = new ProviderEndpoint(
                "azure-eu",
                OpenAiChatAdapter.AZURE_FORMAT,
                URI.create(server.baseUrl()),
                "az-key",
                Map.of(OpenAiChatAdapter.OPTION_DEPLOYMENT, "prod-gpt4o"));
        OpenAiChatAdapter.azure().complete(azure, new CompletionRequest("gpt-4o", null, "hi", 0, null, null));
        server.verify(postRequestedFor(urlEqualTo("/openai/deployments/prod-gpt4o/chat/completions?api-version="
                        + OpenAiChatAdapter.DEFAULT_AZURE_API_VERSION))
                .withHeader("api-key", equalTo("az-key"))
                .withHeader("Authorization", absent()));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "400, invalid_request_error, , BAD_REQUEST",
        "401, invalid_request_error, invalid_api_key, AUTHENTICATION",
        "403, invalid_request_error, unsupported_country_region_territory, PERMISSION",
        "404, invalid_request_error, model_not_found, NOT_FOUND",
        "413, invalid_request_error, , REQUEST_TOO_LARGE",
        "429, requests, rate_limit_exceeded, RATE_LIMITED",
        "429, insufficient_quota, insufficient_quota, QUOTA_EXCEEDED",
        "500, server_error, , SERVER_ERROR",
        "502, server_error, , SERVER_ERROR",
        "503, server_error, , OVERLOADED",
        "529, overloaded_error, , OVERLOADED",
        "504, server_error, , TIMEOUT",
        "418, unknown, , UNKNOWN"
    })
    void classifiesErrorStatuses(int status, String type, String code, ErrorClass expected) {
        String codeJson = code == null ? "null" : "\"" + code + "\"";
        server.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"provider says no\",\"type\":\"" + type
                                + "\",\"param\":null,\"code\":" + codeJson + "}}")));
        ProviderCallException e = callFails();
        assertThat(e.errorClass()).isEqualTo(expected);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.getMessage()).contains("provider says no");
        assertThat(e.getMessage()).doesNotContain("sk-secret");
    }

    @Test
    void rateLimitCarriesRetryAfterSeconds() {
        server.stubFor(
                post("/v1/chat/completions")
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withHeader("retry-after", "7")
                                        .withBody(
                                                "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")));
        ProviderCallException e = callFails();
        assertThat(e.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void rateLimitWithoutRetryAfterUsesTheExhaustedLimitsReset() {
        server.stubFor(
                post("/v1/chat/completions")
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withHeader("x-ratelimit-remaining-requests", "0")
                                        .withHeader("x-ratelimit-reset-requests", "1m30s")
                                        .withHeader("x-ratelimit-remaining-tokens", "5000")
                                        .withHeader("x-ratelimit-reset-tokens", "12ms")
                                        .withBody(
                                                "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")));
        assertThat(callFails().retryAfter()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void nonJsonErrorBodiesAreClassifiedByStatus() {
        server.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse()
                        .withStatus(502)
                        .withHeader("content-type", "text/html")
                        .withBody("<html><body>Bad Gateway</body></html>")));
        ProviderCallException e = callFails();
        assertThat(e.errorClass()).isEqualTo(ErrorClass.SERVER_ERROR);
        assertThat(e.getMessage()).contains("Bad Gateway");
    }

    @Test
    void slowAnswerBeyondTheRequestTimeoutIsATimeout() {
        server.stubFor(post("/v1/chat/completions")
                .willReturn(okJson("chat-basic.json").withFixedDelay(500)));
        assertThatThrownBy(() -> adapter.complete(
                        endpoint(null, Map.of()),
                        new CompletionRequest("gpt-4o", null, "hi", 10, Duration.ofMillis(50), null)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo(ErrorClass.TIMEOUT);
                    assertThat(e.httpStatus()).isZero();
                });
    }

    @Test
    void resetAndEmptyConnectionsAreConnectionFailures() {
        for (Fault fault : new Fault[] {Fault.CONNECTION_RESET_BY_PEER, Fault.EMPTY_RESPONSE}) {
            server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withFault(fault)));
            assertThat(callFails().errorClass()).as(fault.name()).isEqualTo(ErrorClass.CONNECTION);
        }
    }

    @Test
    void refusedConnectionIsAConnectionFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProviderEndpoint nowhere = new ProviderEndpoint(
                "nowhere", "openai", URI.create("http://127.0.0.1:" + closedPort + "/v1"), null, Map.of());
        assertThatThrownBy(() -> adapter.complete(nowhere, new CompletionRequest("m", null, "hi", 1, null, null)))
                .isInstanceOfSatisfying(
                        ProviderCallException.class,
                        e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.CONNECTION));
    }

    @Test
    void truncatedOrChoicelessSuccessIsMalformed() {
        server.stubFor(post("/v1/chat/completions").willReturn(okJson("chat-truncated.json")));
        assertThat(callFails().errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE);
        server.stubFor(post("/v1/chat/completions").willReturn(okJson("chat-no-choices.json")));
        assertThat(callFails().errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE);
    }

    @Test
    void anInvalidSchemaIsRejectedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> adapter.complete(
                        endpoint(null, Map.of()), new CompletionRequest("gpt-4o", null, "hi", 10, null, "{not json")))
                .isInstanceOfSatisfying(
                        ProviderCallException.class,
                        e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.BAD_REQUEST));
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    private ProviderCallException callFails() {
        try {
            adapter.complete(
                    endpoint("sk-secret", Map.of()),
                    new CompletionRequest("gpt-4o", null, "hi", 10, Duration.ofSeconds(5), null));
        } catch (ProviderCallException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    private ProviderEndpoint endpoint(String key, Map<String, String> options) {
        return new ProviderEndpoint("openai", "openai", URI.create(server.baseUrl() + "/v1"), key, options);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson(String payload) {
        return aResponse()
                .withStatus(200)
                .withHeader("content-type", "application/json")
                .withBody(OpenAiResponseParsingTest.payload(payload));
    }
}
