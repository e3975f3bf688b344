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

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aiops.policy.api.PolicyClient;
import java.util.List;
import java.util.UUID;

/** The policy service and OpenAI-format providers as one WireMock server plays them in the connector's tests. */
final class WireStubs {

    private WireStubs() {}

    /** The decision the service answers for this idempotency key. */
    static void decision(WireMockExtension wire, String idempotencyKey, String decisionJson) {
        wire.stubFor(post(urlEqualTo("/api/v1/decisions"))
                .withRequestBody(matchingJsonPath("$.idempotencyKey", equalTo(idempotencyKey)))
                .willReturn(okJson(decisionJson)));
    }

    /** What the provider served under {@code /<provider>} answers. */
    static void completion(WireMockExtension wire, String provider, int status, String body) {
        wire.stubFor(post(urlPathMatching("/" + provider + "/.*"))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    /** The receipt the service answers an outcome of {@code decisionId} with. */
    static void outcome(WireMockExtension wire, UUID decisionId, UUID callId, String costUsd) {
        wire.stubFor(post(urlEqualTo("/api/v1/decisions/" + decisionId + "/outcome"))
                .willReturn(okJson("{\"callId\":\"" + callId + "\",\"costUsd\":" + costUsd
                        + ",\"status\":\"SUCCEEDED\",\"releasedUsd\":0.009}")));
    }

    static LoggedRequest onlyRequest(WireMockExtension wire, String path) {
        List<LoggedRequest> requests = wire.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(requests).as("requests to %s", path).hasSize(1);
        return requests.getFirst();
    }

    static JsonNode body(LoggedRequest request) {
        try {
            return PolicyClient.JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
