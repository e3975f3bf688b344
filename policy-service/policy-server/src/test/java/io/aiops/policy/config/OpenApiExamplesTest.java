package io.aiops.policy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.support.PolicyServerTest;
import jakarta.validation.Validator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ProblemDetail;

/**
 * The examples in the served OpenAPI description are what the API reads and writes: each one reads as the type its
 * schema names through the server's own JSON settings (unknown keys refused, so a renamed field fails here), request
 * examples pass the request's validation (the one marked invalid does not), and problem examples are the answers the
 * server gives to the requests they describe.
 */
class OpenApiExamplesTest extends PolicyServerTest {

    private static final String DECIDE = "/api/v1/decisions";
    private static final String OUTCOME = "/api/v1/decisions/{decisionId}/outcome";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    /** Equal nodes, numbers by value (10000 read as an int equals the long 10000 of a record). */
    private static final Comparator<JsonNode> SAME_NUMBERS = (a, b) ->
            a.equals(b) || (a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0) ? 0 : 1;

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    ObjectMapper json;

    @Autowired
    Validator validator;

    private JsonNode description;

    @BeforeEach
    void readDescription() throws Exception {
        HttpResponse<String> served = sendAsAdmin("GET", "/v3/api-docs", null);
        assertThat(served.statusCode()).isEqualTo(200);
        description = json.readTree(served.body());
    }

    @Test
    void everyExampleReadsAsTheTypeOfItsSchema() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : entries(description.path("paths"))) {
            for (Map.Entry<String, JsonNode> operation : entries(path.getValue())) {
                String where = operation.getKey().toUpperCase() + " " + path.getKey();
                for (Map.Entry<String, JsonNode> media :
                        entries(operation.getValue().at("/requestBody/content"))) {
                    for (Map.Entry<String, JsonNode> example :
                            entries(media.getValue().path("examples"))) {
                        Object request = read(media.getValue(), example.getValue(), where);
                        boolean valid = validator.validate(request).isEmpty();
                        assertThat(valid)
                                .as(where + " request example " + example.getKey() + " passes validation")
                                .isEqualTo(!example.getKey().equals("invalid"));
                        checked.add(where + " request " + example.getKey());
                    }
                }
                for (Map.Entry<String, JsonNode> response :
                        entries(operation.getValue().path("responses"))) {
                    JsonNode answer = resolve(response.getValue());
                    for (Map.Entry<String, JsonNode> media : entries(answer.path("content"))) {
                        for (Map.Entry<String, JsonNode> example :
                                entries(media.getValue().path("examples"))) {
                            Object value = read(media.getValue(), example.getValue(), where);
                            if (value instanceof ProblemDetail problem) {
                                assertThat(problem.getStatus())
                                        .as(where + " " + example.getKey())
                                        .isEqualTo(Integer.parseInt(response.getKey()));
                                assertThat(media.getKey()).isEqualTo("application/problem+json");
                                // the schema names every member the examples use
                                JsonNode properties = description.at("/components/schemas/Problem/properties");
                                example.getValue()
                                        .path("value")
                                        .fieldNames()
                                        .forEachRemaining(name -> assertThat(properties.has(name))
                                                .as(where + " " + example.getKey() + ": the Problem schema has " + name)
                                                .isTrue());
                            }
                            checked.add(where + " " + response.getKey() + " " + example.getKey());
                        }
                    }
                }
            }
        }
        assertThat(checked)
                .contains(
                        "POST " + DECIDE + " request classify",
                        "POST " + DECIDE + " 200 allowed",
                        "POST " + DECIDE + " 200 denied",
                        "POST " + DECIDE + " 400 invalid",
                        "POST " + DECIDE + " 403 project",
                        "POST " + OUTCOME + " request answered",
                        "POST " + OUTCOME + " 200 recorded",
                        "POST " + OUTCOME + " 200 replay",
                        "POST " + OUTCOME + " 404 unknown decision",
                        "PUT /api/v1/budgets/{id} 403 project",
                        "GET /api/v1/budgets/{id} 404 unknown budget",
                        // every operation: the key check's answers
                        "GET /api/v1/quality 401 no key",
                        "GET /api/v1/quality 403 role");

        JsonNode decisions = description.at("/paths/~1api~1v1~1decisions/post/responses/200/content/application~1json");
        Decision allowed = json.treeToValue(decisions.at("/examples/allowed/value"), Decision.class);
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.candidates()).isNotEmpty();
        assertThat(allowed.reservation().amountUsd()).isPositive();
        Decision denied = json.treeToValue(decisions.at("/examples/denied/value"), Decision.class);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        JsonNode receipts = description.at(
                "/paths/~1api~1v1~1decisions~1{decisionId}~1outcome/post/responses/200/content/application~1json");
        assertThat(json.treeToValue(receipts.at("/examples/replay/value"), OutcomeReceipt.class))
                .isEqualTo(json.treeToValue(receipts.at("/examples/recorded/value"), OutcomeReceipt.class));
    }

    @Test
    void theProblemExamplesAreTheServersAnswersToTheRequestsTheyDescribe() throws Exception {
        JsonNode decide = description.at("/paths/~1api~1v1~1decisions/post");
        JsonNode outcome = description.at("/paths/~1api~1v1~1decisions~1{decisionId}~1outcome/post");
        JsonNode request = decide.at("/requestBody/content/application~1json/examples/classify/value");
        String workerKey = key(ApiRole.WORKER, null);
        String otherProjectsWorker = key(ApiRole.WORKER, unique("elsewhere"));
        String viewerKey = key(ApiRole.VIEWER, null);

        assertAnswer(
                post(DECIDE, decide.at("/requestBody/content/application~1json/examples/invalid/value"), workerKey),
                problem(decide, "400", "invalid"));
        assertAnswer(post(DECIDE, request, otherProjectsWorker), problem(decide, "403", "project"));
        assertAnswer(post(DECIDE, request, viewerKey), problem(decide, "403", "role"));

        JsonNode unknown = problem(outcome, "404", "unknown decision");
        assertAnswer(
                post(
                        unknown.path("instance").asText(),
                        outcome.at("/requestBody/content/application~1json/examples/answered/value"),
                        workerKey),
                unknown);
        JsonNode invalid = problem(outcome, "400", "invalid");
        assertAnswer(
                post(
                        invalid.path("instance").asText(),
                        outcome.at("/requestBody/content/application~1json/examples/invalid/value"),
                        workerKey),
                invalid);

        JsonNode unauthenticated = description.at("/components/responses/Unauthenticated/content");
        assertAnswer(
                post(DECIDE, request, null), unauthenticated.at("/application~1problem+json/examples/no key/value"));
    }

    private HttpResponse<String> post(String path, JsonNode body, String key) throws Exception {
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(baseUri() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (key != null) {
            post.header("Authorization", "Bearer " + key);
        }
        return http.send(post.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertAnswer(HttpResponse<String> answer, JsonNode example) throws Exception {
        assertThat(example.isMissingNode()).as("example present").isFalse();
        assertThat(answer.statusCode())
                .as(answer.body())
                .isEqualTo(example.path("status").asInt());
        assertThat(json.readTree(answer.body()).equals(SAME_NUMBERS, example))
                .as(answer.body() + " is the example " + example)
                .isTrue();
    }

    private static JsonNode problem(JsonNode operation, String status, String name) {
        return operation
                .path("responses")
                .path(status)
                .at("/content/application~1problem+json/examples")
                .path(name)
                .path("value");
    }

    private String key(ApiRole role, String project) {
        return admin.createApiKey(
                        new ApiKeyRequest("examples-" + role, role, project == null ? List.of() : List.of(project)))
                .key();
    }

    /** The example's value as the Java type its media type's schema names. */
    private Object read(JsonNode media, JsonNode example, String where) throws Exception {
        String ref = media.at("/schema/$ref").asText();
        assertThat(ref).as(where + " example on a named schema").isNotEmpty();
        Class<?> type = ref.equals(PROBLEM_REF)
                ? ProblemDetail.class
                : Class.forName("io.aiops.policy.api." + ref.substring(ref.lastIndexOf('/') + 1));
        assertThat(example.has("value")).as(where).isTrue();
        Object value = json.treeToValue(example.get("value"), type);
        // nothing was dropped on the way: the type writes the example back as it was
        assertThat(json.<JsonNode>valueToTree(value).equals(SAME_NUMBERS, example.get("value")))
                .as(where + ": " + example.get("value") + " reads back as " + json.valueToTree(value))
                .isTrue();
        return value;
    }

    private JsonNode resolve(JsonNode response) {
        String ref = response.path("$ref").asText();
        return ref.isEmpty() ? response : description.at(ref.substring(1));
    }

    private static Iterable<Map.Entry<String, JsonNode>> entries(JsonNode node) {
        return () -> {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            return fields;
        };
    }
}
