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

/** The Gemini adapter's requests and error classification against a stubbed HTTP server. */
class GeminiGenerateContentAdapterWireMockTest {

    private static final String PATH = "/v1beta/models/gemini-2.0-flash:generateContent";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private static WireMockServer server;
    private final GeminiGenerateContentAdapter adapter =
            new GeminiGenerateContentAdapter(java.net.http.HttpClient.newHttpClient(), CLOCK);

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
    void sendsContentsSystemInstructionLimitAndKeyHeader() {
        server.stubFor(post(PATH).willReturn(okJson("gemini/generate-basic.json")));
        CompletionResponse response = adapter.complete(
                endpoint(server.baseUrl(), Map.of()),
                new CompletionRequest(
                        "gemini-2.0-flash", "Be terse.", "Classify: refund", 64, Duration.ofSeconds(5), null));

        assertThat(response.text()).isEqualTo("Hi");
        server.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("x-goog-api-key", equalTo("AIza-secret"))
                .withHeader("Authorization", absent())
                .withRequestBody(equalToJson("""
            {"systemInstruction":{"parts":[{"text":"Be terse."}]},
             "contents":[{"role":"user","parts":[{"text":"Classify: refund"}]}],
             "generationConfig":{"maxOutputTokens":64}}""")));
    }

    @Test
    void aVersionedBaseUrlIsKeptAndASchemaAsksForJson() {
        server.stubFor(post(PATH).willReturn(okJson("gemini/generate-cached-thinking.json")));
        String schema = "{\"type\":\"object\",\"properties\":{\"category\":{\"type\":\"string\"}}}";
        adapter.complete(
                endpoint(server.baseUrl() + "/v1beta", Map.of()),
                new CompletionRequest("gemini-2.0-flash", null, "Classify", 0, null, schema));
        server.verify(postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.systemInstruction", absent()))
                .withRequestBody(matchingJsonPath("$.generationConfig.maxOutputTokens", absent()))
                .withRequestBody(matchingJsonPath("$.generationConfig.responseMimeType", equalTo("application/json")))
                .withRequestBody(matchingJsonPath(
                        "$.generationConfig.responseJsonSchema.properties.category.type", equalTo("string"))));
    }

    @Test
    void resourceExhaustedIsRetryableWithTheRetryInfoDelay() {
        server.stubFor(post(PATH).willReturn(error(429, "gemini/error-429-retry-info.json")));
        ProviderCallException e = callFails();
        assertThat(e.errorClass()).isEqualTo(ErrorClass.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(22));
        assertThat(e.getMessage()).contains("RESOURCE_EXHAUSTED").doesNotContain("AIza-secret");
    }

    @Test
    void anExhaustedPerDayQuotaIsNotRetryable() {
        server.stubFor(post(PATH).willReturn(error(429, "gemini/error-429-per-day.json")));
        ProviderCallException e = callFails();
        assertThat(e.errorClass()).isEqualTo(ErrorClass.QUOTA_EXCEEDED);
        assertThat(e.errorClass().retryable()).isFalse();
    }

    @Test
    void unavailableIsAnOverloadedModel() {
        server.stubFor(post(PATH).willReturn(error(503, "gemini/error-503.json")));
        ProviderCallException e = callFails();
        assertThat(e.errorClass()).isEqualTo(ErrorClass.OVERLOADED);
        assertThat(e.getMessage()).contains("The model is overloaded");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "400, INVALID_ARGUMENT, BAD_REQUEST",
        "400, FAILED_PRECONDITION, PERMISSION",
        "401, UNAUTHENTICATED, AUTHENTICATION",
        "403, PERMISSION_DENIED, PERMISSION",
        "404, NOT_FOUND, NOT_FOUND",
        "500, INTERNAL, SERVER_ERROR",
        "504, DEADLINE_EXCEEDED, TIMEOUT"
    })
    void classifiesByStatusName(int status, String grpcStatus, ErrorClass expected) {
        server.stubFor(post(PATH)
                .willReturn(aResponse()
                        .withStatus(status)
                        .withBody("{\"error\":{\"code\":" + status + ",\"message\":\"no\",\"status\":\"" + grpcStatus
                                + "\"}}")));
        assertThat(callFails().errorClass()).isEqualTo(expected);
    }

    @Test
    void truncatedSuccessIsMalformed() {
        server.stubFor(post(PATH).willReturn(okJson("gemini/generate-truncated.json")));
        assertThat(callFails().errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE);
    }

    private ProviderCallException callFails() {
        try {
            adapter.complete(
                    endpoint(server.baseUrl(), Map.of()),
                    new CompletionRequest("gemini-2.0-flash", null, "hi", 10, Duration.ofSeconds(5), null));
        } catch (ProviderCallException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    private static ProviderEndpoint endpoint(String baseUrl, Map<String, String> options) {
        return new ProviderEndpoint("gemini", "gemini", URI.create(baseUrl), "AIza-secret", options);
    }

    private static ResponseDefinitionBuilder okJson(String payload) {
        return error(200, payload);
    }

    private static ResponseDefinitionBuilder error(int status, String payload) {
        return aResponse()
                .withStatus(status)
                .withHeader("content-type", "application/json")
                .withBody(Payloads.read(payload));
    }
}
