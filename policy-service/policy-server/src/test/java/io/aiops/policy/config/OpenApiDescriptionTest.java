package io.aiops.policy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aiops.policy.support.PolicyServerTest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description the server serves as YAML is the one checked in as {@code docs/openapi.yaml}, so the published
 * description never drifts from the code; {@code -Daiops.openapi.write=true} writes it after a change.
 */
class OpenApiDescriptionTest extends PolicyServerTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path CHECKED_IN = Path.of("../../docs/openapi.yaml");

    @Test
    void theServedDescriptionIsTheCheckedInOneAndCoversTheApi() throws Exception {
        HttpResponse<String> served = sendAsAdmin("GET", "/v3/api-docs.yaml", null);
        assertThat(served.statusCode()).isEqualTo(200);
        // the server's own address (a random port here) is the reader's business, not the description's
        String text = withoutServers(served.body());
        if (Boolean.getBoolean("aiops.openapi.write")) {
            Files.writeString(CHECKED_IN, text);
        }

        JsonNode description = YAML.readTree(text);
        assertThat(description.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(description.has("servers")).isFalse();
        JsonNode paths = description.path("paths");
        assertThat(paths.has("/api/v1/decisions")).isTrue();
        assertThat(paths.has("/api/v1/decisions/{decisionId}/outcome")).isTrue();
        assertThat(paths.has("/api/v1/feedback")).isTrue();
        assertThat(paths.has("/api/v1/prompts/{name}")).isTrue();
        assertThat(paths.has("/api/v1/quality")).isTrue();
        // the dashboards' own routes (sessions, not keys) are not part of the API
        assertThat(paths.fieldNames()).toIterable().allMatch(path -> path.startsWith("/api/v1/"));
        assertThat(description.at("/components/securitySchemes/apiKey/scheme").asText())
                .isEqualTo("bearer");
        assertThat(description.at("/security/0/apiKey").isArray()).isTrue();
        // the principal is the filter's business: no endpoint asks the caller for it
        assertThat(text).doesNotContain("ApiPrincipal");

        // the JSON form is the same description
        ObjectNode asJson = (ObjectNode) new ObjectMapper()
                .readTree(sendAsAdmin("GET", "/v3/api-docs", null).body());
        asJson.remove("servers");
        assertThat(asJson).isEqualTo(description);

        assertThat(YAML.readTree(Files.readString(CHECKED_IN)))
                .as("docs/openapi.yaml differs from what the server serves; run with -Daiops.openapi.write=true")
                .isEqualTo(description);
        assertThat(Files.readString(CHECKED_IN))
                .as("docs/openapi.yaml is written as the server writes it; run with -Daiops.openapi.write=true")
                .isEqualTo(text);
    }

    /** The served YAML without its top-level {@code servers} entry (the entry and its indented lines). */
    private static String withoutServers(String yaml) {
        List<String> kept = new ArrayList<>();
        boolean inServers = false;
        for (String line : yaml.split("\n", -1)) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("-")) {
                inServers = line.startsWith("servers:");
            }
            if (!inServers) {
                kept.add(line);
            }
        }
        return String.join("\n", kept);
    }
}
