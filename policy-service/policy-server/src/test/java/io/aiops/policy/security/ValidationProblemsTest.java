package io.aiops.policy.security;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.BUDGETS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.ROUTING_POLICIES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.support.PolicyServerTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bean Validation of request bodies and parameters as a caller sees it: 400 problem+json of type validation, the first
 * offending JSON path in {@code field}, every violation in {@code errors}, and nothing stored.
 */
class ValidationProblemsTest extends PolicyServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyViolationOfAnOutcomeIsListedAndTheFirstByPathIsNamed() throws Exception {
        String project = unique("valid");
        routeProjectTo(project, "valid-" + project, "0.000001", "0.000002");
        Decision decision = worker.decide(request(project, "classify", 10, 10));
        int calls = db.fetchCount(CALLS);
        String ok =
                "{\"provider\":\"acme\",\"model\":\"valid-" + project + "\",\"inputTokens\":1,\"status\":\"FAILED\"}";
        List<String> attempts = new ArrayList<>(List.of(ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok));
        attempts.set(2, "{\"provider\":\"acme\",\"model\":\"m\",\"inputTokens\":1000000000001,\"status\":\"FAILED\"}");
        attempts.set(10, "{\"provider\":\"acme\",\"model\":\" \",\"outputTokens\":-1,\"status\":\"FAILED\"}");

        HttpResponse<String> response = send(
                "POST",
                "/api/v1/decisions/" + decision.decisionId() + "/outcome",
                "{\"attempts\":[" + String.join(",", attempts) + "]}");

        JsonNode problem = problem(response, 400);
        assertThat(problem.path("type").asText()).isEqualTo("https://aiops.io/problems/validation");
        assertThat(problem.path("field").asText()).isEqualTo("attempts[2].inputTokens");
        assertThat(problem.path("detail").asText()).startsWith("attempts[2].inputTokens must be less than or equal to");
        assertThat(problem.path("errors").findValuesAsText("field"))
                .containsExactly("attempts[2].inputTokens", "attempts[10].model", "attempts[10].outputTokens");
        assertThat(db.fetchCount(CALLS)).isEqualTo(calls);
    }

    @Test
    void numbersTooLargeForTheirTypeAreRefusedNamingTheField() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/api/v1/decisions",
                "{\"idempotencyKey\":\"k\",\"project\":\"p\",\"bpmnProcessId\":\"b\",\"processInstanceKey\":1,"
                        + "\"elementId\":\"e\",\"elementInstanceKey\":1,\"taskKind\":\"t\",\"estimatedInputTokens\":99999999999}");

        JsonNode problem = problem(response, 400);
        assertThat(problem.path("type").asText()).isEqualTo("https://aiops.io/problems/validation");
        assertThat(problem.path("field").asText()).isEqualTo("estimatedInputTokens");
    }

    @Test
    void lettersInAPriceAndAnUnknownEnumValueAreRefusedNamingTheField() throws Exception {
        HttpResponse<String> price = send(
                "PUT",
                "/api/v1/models/acme/" + unique("m"),
                "{\"inputPerToken\":\"abc\",\"outputPerToken\":\"0.000002\"}");
        assertThat(problem(price, 400).path("field").asText()).isEqualTo("inputPerToken");

        HttpResponse<String> policy = send(
                "PUT",
                "/api/v1/routing-policies/" + unique("r"),
                "{\"candidates\":[{\"provider\":\"acme\",\"model\":\"m\"},{\"provider\":\"acme\",\"model\":\"\"}]}");
        assertThat(problem(policy, 400).path("field").asText()).isEqualTo("candidates[1].model");

        HttpResponse<String> key = send("POST", "/api/v1/api-keys", "{\"name\":\"n\",\"role\":\"ROOT\"}");
        assertThat(problem(key, 400).path("field").asText()).isEqualTo("role");
    }

    @Test
    void aBudgetBreakingSeveralRulesIsRefusedListingThemAllAndNotStored() throws Exception {
        String id = unique("budget");
        int budgets = db.fetchCount(BUDGETS);

        HttpResponse<String> response = send(
                "PUT",
                "/api/v1/budgets/" + id,
                "{\"period\":\"DAY\",\"limitUsd\":-1,\"mode\":\"HARD\",\"alertThresholds\":[0,50,5000],"
                        + "\"scope\":{\"processDefinitionKey\":0}}");

        JsonNode problem = problem(response, 400);
        assertThat(problem.path("field").asText()).isEqualTo("alertThresholds[0]");
        assertThat(problem.path("errors").findValuesAsText("field"))
                .containsExactly("alertThresholds[0]", "alertThresholds[2]", "limitUsd", "scope.processDefinitionKey");
        assertThat(db.fetchCount(BUDGETS)).isEqualTo(budgets);
    }

    @Test
    void anOverlongPathVariableIsRefusedNamingIt() throws Exception {
        int policies = db.fetchCount(ROUTING_POLICIES);

        HttpResponse<String> response = send(
                "PUT",
                "/api/v1/routing-policies/" + "r".repeat(300),
                "{\"candidates\":[{\"provider\":\"acme\",\"model\":\"gpt-4o-mini\"}]}");

        JsonNode problem = problem(response, 400);
        assertThat(problem.path("field").asText()).isEqualTo("id");
        assertThat(problem.path("errors")).hasSize(1);
        assertThat(db.fetchCount(ROUTING_POLICIES)).isEqualTo(policies);
    }

    @Test
    void aDeprecationDateBeyondTheCalendarTheDatabaseKeepsIsRefusedNotAServerError() throws Exception {
        HttpResponse<String> response = send(
                "PUT",
                "/api/v1/models/acme/" + unique("m"),
                "{\"inputPerToken\":\"0.000001\",\"outputPerToken\":\"0.000002\",\"deprecationDate\":\"+999999999-12-31\"}");

        assertThat(problem(response, 400).path("field").asText()).isEqualTo("deprecationDate");
    }

    private JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        return PolicyClient.JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(baseUri().resolve(path))
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
