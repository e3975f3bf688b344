package io.aiops.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.support.PolicyServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spellings of an API path that the container decodes or normalises to the real endpoint: each must meet the same
 * key and role checks as the plain path, or a request without a key could issue itself an admin key.
 */
class EncodedPathAuthenticationTest extends PolicyServerTest {

    private static final String NEW_ADMIN_KEY = "{\"name\":\"intruder\",\"role\":\"ADMIN\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/api-keys",
                "/%61pi/v1/api-keys",
                "/api/v1/api%2Dkeys",
                "/api;x=1/v1/api-keys",
                "/api/v1;x=1/api-keys",
                "/api/v1/./api-keys",
                "/api/v1/x/../api-keys",
                "//api/v1/api-keys"
            })
    void noSpellingOfAnApiPathGoesThroughWithoutAKey(String path) throws Exception {
        int keysBefore = apiKeyCount();

        HttpResponse<String> response = post(path, null);

        assertThat(response.statusCode()).as(path).isEqualTo(401);
        assertThat(apiKeyCount()).as("keys after " + path).isEqualTo(keysBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%61pi/v1/api-keys", "/api;x=1/v1/api-keys", "/api/v1/x/../api-keys"})
    void aViewerKeyMeetsTheRoleCheckOfTheNormalisedPath(String path) throws Exception {
        String viewer = admin.createApiKey(new ApiKeyRequest("viewer-" + unique("v"), ApiRole.VIEWER, List.of()))
                .key();
        int keysBefore = apiKeyCount();

        HttpResponse<String> response = post(path, viewer);

        assertThat(response.statusCode()).as(path).isEqualTo(403);
        assertThat(apiKeyCount()).isEqualTo(keysBefore);
    }

    @Test
    void onlyHealthAndInfoAreOpen() throws Exception {
        // health answers without a key: 200, or 503 while an indicator is down (other tests break audit chains on
        // purpose, which the audit indicator reports)
        assertThat(get("/actuator/health").statusCode()).isIn(200, 503);
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/env").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/ping").statusCode()).isEqualTo(401);
        assertThat(get("/%61ctuator/health/liveness").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> post(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(NEW_ADMIN_KEY));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUri() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int apiKeyCount() {
        return db.fetchCount(db.selectFrom("api_keys"));
    }
}
