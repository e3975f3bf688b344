package io.aiops.policy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiops.policy.support.PolicyServerTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description the server serves is the one checked in as {@code docs/openapi.json}, so the published
 * description never drifts from the code; {@code -Daiops.openapi.write=true} writes it after a change.
 */
class OpenApiDescriptionTest extends PolicyServerTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final Path CHECKED_IN = Path.of("../../docs/openapi.json");

    @Test
    void theServedDescriptionIsTheCheckedInOneAndCoversTheApi() throws Exception {
        HttpResponse<String> served = sendAsAdmin("GET", "/v3/api-docs", null);
        assertThat(served.statusCode()).isEqualTo(200);
        ObjectNode description = (ObjectNode) JSON.readTree(served.body());
        // the server's own address (a random port here) is the reader's business, not the description's
        description.remove("servers");
        String text = JSON.writeValueAsString(JSON.treeToValue(description, Object.class)) + "\n";
        if (Boolean.getBoolean("aiops.openapi.write")) {
            Files.writeString(CHECKED_IN, text);
        }

        JsonNode paths = description.path("paths");
        assertThat(paths.has("/api/v1/decisions")).isTrue();
        assertThat(paths.has("/api/v1/decisions/{decisionId}/outcome")).isTrue();
        assertThat(paths.has("/api/v1/feedback")).isTrue();
        assertThat(paths.has("/api/v1/prompts/{name}")).isTrue();
        assertThat(paths.has("/api/v1/quality")).isTrue();
        assertThat(description.at("/components/securitySchemes/apiKey/scheme").asText())
                .isEqualTo("bearer");
        // the principal is the filter's business: no endpoint asks the caller for it
        assertThat(served.body()).doesNotContain("ApiPrincipal");
        assertThat(Files.readString(CHECKED_IN))
                .as("docs/openapi.json differs from what the server serves; run with -Daiops.openapi.write=true")
                .isEqualTo(text);
    }
}
