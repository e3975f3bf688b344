package io.aiops.providers.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.aiops.core.TokenUsage;
import io.aiops.providers.CompletionRequest;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderEndpoint;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Anthropic adapter's requests and error classification against a stubbed HTTP server. */
class AnthropicMessagesAdapterWireMockTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private static WireMockServer server;
    private final AnthropicMessagesAdapter adapter =
            new AnthropicMessagesAdapter(java.net.http.HttpClient.newHttpClient(), CLOCK);

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
    void sendsSystemPromptMaxTokensKeyAndVersionToV1Messages() {
        server.stubFor(post("/v1/messages").willReturn(okJson("anthropic/messages-basic.json")));
        CompletionResponse response = adapter.complete(
                endpoint(server.baseUrl(), Map.of()),
                new CompletionRequest(
                        "claude-sonnet-4-20250514", "Be terse.", "Classify: refund", 64, Duration.ofSeconds(5), null));

        assertThat(response.usage()).isEqualTo(new TokenUsage(12, 0, 0, 6, 0));
        server.verify(postRequestedFor(urlEqualTo("/v1/messages"))
                .withHeader("x-api-key", equalTo("sk-ant-secret"))
                .withHeader("anthropic-version", equalTo(AnthropicMessagesAdapter.DEFAULT_VERSION))
                .withHeader("Authorization", absent())
                .withRequestBody(equalToJson("""
            {"model":"claude-sonnet-4-20250514","max_tokens":64,"system":"Be terse.",
             "messages":[{"role":"user","content":"Classify: refund"}]}""")));
    }

    @Test
    void aBaseUrlWithVersionGetsMessagesAppendedAndASchemaBecomesAForcedTool() {
        server.stubFor(post("/v1/messages").willReturn(okJson("anthropic/messages-tool-use.json")));
        String schema = "{\"type\":\"object\",\"properties\":{\"category\":{\"type\":\"string\"}}}";
        CompletionResponse response = adapter.complete(
                endpoint(server.baseUrl() + "/v1/", Map.of()),
                new CompletionRequest("claude-haiku-4-5", null, "Classify: refund", 0, null, schema));

        assertThat(response.text()).isEqualTo("{\"category\":\"refund\",\"priority\":2}");
        server.verify(postRequestedFor(urlEqualTo("/v1/messages"))
                .withRequestBody(matchingJsonPath(
                        "$.max_tokens", equalTo(String.valueOf(AnthropicMessagesAdapter.DEFAULT_MAX_TOKENS))))
                .withRequestBody(matchingJsonPath("$.system", absent()))
                .withRequestBody(
                        matchingJsonPath("$.tools[0].input_schema.properties.category.type", equalTo("string")))
                .withRequestBody(matchingJsonPath("$.tool_choice.type", equalTo("tool")))
                .withRequestBody(matchingJsonPath(
                        "$.tool_choice.name", equalTo(AnthropicMessagesAdapter.STRUCTURED_OUTPUT_TOOL))));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource({
        "400, invalid_request_error, 'messages: field required', BAD_REQUEST",
        "400, invalid_request_error, 'Your credit balance is too low to access the Anthropic API.', QUOTA_EXCEEDED",
        "401, authentication_error, 'invalid x-api-key', AUTHENTICATION",
        "403, permission_error, 'not allowed', PERMISSION",
        "404, not_found_error, 'model: claude-x', NOT_FOUND",
        "413, request_too_large, 'Request exceeds the maximum allowed number of bytes.', REQUEST_TOO_LARGE",
        "429, rate_limit_error, 'Number of request tokens has exceeded your per-minute rate limit', RATE_LIMITED",
        "429, rate_limit_error, 'You have reached your specified workspace API spend limit', QUOTA_EXCEEDED",
        "500, api_error, 'Internal server error', SERVER_ERROR",
        "529, overloaded_error, 'Overloaded', OVERLOADED"
    })
    void classifiesByErrorType(int status, String type, String message, ErrorClass expected) {
        server.stubFor(post("/v1/messages")
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("content-type", "application/json")
                        .withBody("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
                                + "\"},\"request_id\":\"req_011\"}")));
        ProviderCallException e = callFails();
        assertThat(e.errorClass()).isEqualTo(expected);
        assertThat(e.errorClass().retryable())
                .isEqualTo(expected == ErrorClass.RATE_LIMITED
                        || expected == ErrorClass.SERVER_ERROR
                        || expected == ErrorClass.OVERLOADED);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.getMessage()).contains(type).doesNotContain("sk-ant-secret");
    }

    @Test
    void overloadedCarriesRetryAfterSeconds() {
        server.stubFor(post("/v1/messages")
                .willReturn(aResponse()
                        .withStatus(529)
                        .withHeader("retry-after", "12")
                        .withBody(Payloads.read("anthropic/error-overloaded.json"))));
        ProviderCallException e = callFails();
        assertThat(e.errorClass()).isEqualTo(ErrorClass.OVERLOADED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void withoutRetryAfterTheExhaustedRateLimitsResetIsTheWait() {
        server.stubFor(
                post("/v1/messages")
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withHeader("anthropic-ratelimit-requests-remaining", "12")
                                        .withHeader("anthropic-ratelimit-requests-reset", "2026-11-26T10:00:05Z")
                                        .withHeader("anthropic-ratelimit-input-tokens-remaining", "0")
                                        .withHeader("anthropic-ratelimit-input-tokens-reset", "2026-11-26T10:00:40Z")
                                        .withBody(
                                                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")));
        assertThat(callFails().retryAfter()).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void truncatedOrEmptySuccessIsMalformedAndADroppedConnectionIsAConnectionFailure() {
        server.stubFor(post("/v1/messages").willReturn(okJson("anthropic/messages-truncated.json")));
        assertThat(callFails().errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE);
        server.stubFor(post("/v1/messages").willReturn(okJson("anthropic/messages-empty-content.json")));
        assertThat(callFails().errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE);
        server.stubFor(post("/v1/messages").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        assertThat(callFails().errorClass()).isEqualTo(ErrorClass.CONNECTION);
    }

    private ProviderCallException callFails() {
        try {
            adapter.complete(
                    endpoint(server.baseUrl(), Map.of()),
                    new CompletionRequest("claude-sonnet-4-20250514", null, "hi", 10, Duration.ofSeconds(5), null));
        } catch (ProviderCallException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    private static ProviderEndpoint endpoint(String baseUrl, Map<String, String> options) {
        return new ProviderEndpoint("anthropic", "anthropic", URI.create(baseUrl), "sk-ant-secret", options);
    }

    private static ResponseDefinitionBuilder okJson(String payload) {
        return aResponse()
                .withStatus(200)
                .withHeader("content-type", "application/json")
                .withBody(Payloads.read(payload));
    }
}
