package io.aiops.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.domain.StoredText;
import io.aiops.policy.support.PolicyServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Odd input is normal input. Every text field of every write endpoint is fed a corpus of odd strings: the answer is a
 * 2xx with the text stored exactly (prompts and answers read back equal to what was sent), or a 4xx problem naming
 * the field (identifiers with control characters or unpaired surrogates, texts over their limit), never a 5xx. Every
 * write endpoint refuses a key it does not know, naming it, however deep it sits.
 */
class OddInputTest extends PolicyServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The odd strings, by what they are. */
    private static final Map<String, String> CORPUS = corpus();

    private static Map<String, String> corpus() {
        Map<String, String> corpus = new LinkedHashMap<>();
        corpus.put("NUL", "a\u0000b");
        corpus.put("NUL only", "\u0000");
        corpus.put("unpaired high surrogate", "x\uD800y");
        corpus.put("unpaired low surrogate", "\uDC00");
        corpus.put("surrogates in reverse order", "\uDE00\uD83D");
        corpus.put("right-to-left override", "\u202Eevil\u202C");
        corpus.put("4-byte emoji", "ok \uD83D\uDE00 \uD83E\uDD16");
        corpus.put("terminal escape", "\u001B[31mred");
        corpus.put("line break", "two\nlines");
        corpus.put("the stored form's escape character", "\uE000 and \uE0000000");
        corpus.put("200k characters", "x".repeat(200_000));
        corpus.put("200k non-ASCII characters", "\u00E9".repeat(200_000));
        return corpus;
    }

    /**
     * One write endpoint: a valid body made afresh for each send, and the paths of its text fields: identifiers (which
     * must refuse control characters), prompts and answers (stored exactly) and other text (patterns, URLs).
     */
    private record Endpoint(
            String method,
            Supplier<String> path,
            Supplier<ObjectNode> body,
            List<String> textFields,
            List<String> freeTextFields,
            List<String> otherFields) {

        Endpoint(
                String method,
                Supplier<String> path,
                Supplier<ObjectNode> body,
                List<String> textFields,
                List<String> freeTextFields) {
            this(method, path, body, textFields, freeTextFields, List.of());
        }
    }

    private List<Endpoint> endpoints(String project) {
        String model = unique("odd-model");
        routeProjectTo(project, model, "0.000001", "0.000002");
        PolicyClient workerClient = worker;
        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.add(new Endpoint(
                "POST",
                () -> "/api/v1/decisions",
                () -> decisionBody(project),
                List.of(
                        "idempotencyKey",
                        "project",
                        "bpmnProcessId",
                        "elementId",
                        "taskKind",
                        "modelHint",
                        "tags.team"),
                List.of()));
        endpoints.add(new Endpoint(
                "POST",
                () -> {
                    Decision decision = workerClient.decide(request(project, "classify", 10, 10));
                    return "/api/v1/decisions/" + decision.decisionId() + "/outcome";
                },
                () -> object(Map.of(
                        "attempts",
                        List.of(Map.of(
                                "provider",
                                "acme",
                                "model",
                                model,
                                "inputTokens",
                                5,
                                "outputTokens",
                                3,
                                "latencyMs",
                                4,
                                "status",
                                "SUCCEEDED")),
                        "qualityScores",
                        Map.of("json_valid", 1),
                        "requestText",
                        "prompt",
                        "responseText",
                        "answer")),
                List.of("attempts[0].provider", "attempts[0].model", "attempts[0].errorClass"),
                List.of("requestText", "responseText")));
        endpoints.add(new Endpoint(
                "PUT",
                () -> "/api/v1/models/acme/" + model,
                () -> object(Map.of("inputPerToken", "0.000001", "outputPerToken", "0.000002", "source", "odd")),
                List.of("source"),
                List.of()));
        String budgetId = unique("odd-budget");
        endpoints.add(new Endpoint(
                "PUT",
                () -> "/api/v1/budgets/" + budgetId,
                () -> object(Map.of(
                        "id",
                        budgetId,
                        "scope",
                        Map.of("project", project, "bpmnProcessId", unique("flow")),
                        "period",
                        "DAY",
                        "limitUsd",
                        5,
                        "mode",
                        "SOFT")),
                List.of("scope.project", "scope.bpmnProcessId", "scope.model", "timeZone"),
                List.of()));
        String policyId = unique("odd-route");
        endpoints.add(new Endpoint(
                "PUT",
                () -> "/api/v1/routing-policies/" + policyId,
                () -> object(Map.of(
                        "id",
                        policyId,
                        "project",
                        project,
                        "taskKind",
                        "odd",
                        "candidates",
                        List.of(Map.of("provider", "acme", "model", model)))),
                List.of("project", "taskKind", "candidates[0].provider", "candidates[0].model"),
                List.of()));
        endpoints.add(new Endpoint(
                "POST",
                () -> "/api/v1/api-keys",
                () -> object(Map.of("name", "odd", "role", "VIEWER", "projects", List.of(project))),
                List.of("name", "projects[0]"),
                List.of()));
        endpoints.add(new Endpoint(
                "PUT",
                () -> "/api/v1/projects/" + project + "/redaction",
                () -> object(Map.of("mode", "FULL", "customPatterns", List.of("order-[0-9]+"))),
                List.of(),
                List.of(),
                List.of("customPatterns[0]")));
        endpoints.add(new Endpoint(
                "PUT",
                () -> "/api/v1/projects/" + project + "/retention",
                () -> object(Map.of("retentionDays", 30)),
                List.of(),
                List.of()));
        endpoints.add(new Endpoint(
                "POST",
                () -> "/api/v1/providers/health",
                () -> object(Map.of(
                        "provider",
                        "acme",
                        "model",
                        model,
                        "state",
                        "CLOSED",
                        "reporter",
                        "odd",
                        "observedAt",
                        CLOCK.instant().toString())),
                List.of("provider", "model", "reporter"),
                List.of()));
        String ruleId = unique("odd-rule");
        endpoints.add(new Endpoint(
                "PUT",
                () -> "/api/v1/alert-rules/" + ruleId,
                () -> object(Map.of(
                        "project",
                        project,
                        "kind",
                        "DAILY_SPEND_ABOVE",
                        "thresholdUsd",
                        1,
                        "webhookUrl",
                        "https://hooks.example.com/odd")),
                List.of("project", "bpmnProcessId", "webhookUrl", "zeebeMessageName"),
                List.of()));
        return endpoints;
    }

    @Test
    void everyTextFieldStoresOddTextExactlyOrRefusesItNamingTheField() throws Exception {
        String project = unique("odd");
        List<String> failures = new ArrayList<>();
        int stored = 0;
        int refused = 0;
        for (Endpoint endpoint : endpoints(project)) {
            List<String> fields = new ArrayList<>(endpoint.textFields());
            fields.addAll(endpoint.freeTextFields());
            fields.addAll(endpoint.otherFields());
            for (String field : fields) {
                for (Map.Entry<String, String> odd : CORPUS.entrySet()) {
                    ObjectNode body = endpoint.body().get();
                    set(body, field, odd.getValue());
                    String path = endpoint.path().get();
                    HttpResponse<String> response = send(endpoint.method(), path, escaped(body));
                    String what = endpoint.method() + " " + path + " with " + odd.getKey() + " in " + field;
                    int status = response.statusCode();
                    if (status >= 500) {
                        failures.add(what + ": " + status + " " + response.body());
                    } else if (status >= 400) {
                        refused++;
                        JsonNode problem = JSON.readTree(response.body());
                        if (!response.headers()
                                        .firstValue("Content-Type")
                                        .orElse("")
                                        .contains("problem+json")
                                || !namesField(problem.path("field").asText(), field)) {
                            failures.add(what + ": " + status + " does not name the field: " + response.body());
                        }
                        if (endpoint.freeTextFields().contains(field)
                                && !odd.getKey().startsWith("200k")) {
                            failures.add(what + ": a prompt or answer was refused: " + response.body());
                        }
                    } else {
                        stored++;
                        if (endpoint.textFields().contains(field) && !RequestLimitsView.printable(odd.getValue())) {
                            failures.add(what + ": an identifier with control characters was accepted");
                        }
                        if (endpoint.freeTextFields().contains(field)) {
                            String read = storedText(path, field);
                            if (!odd.getValue().equals(read)) {
                                failures.add(what + ": stored text differs from the text sent");
                            }
                        }
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(stored).as("odd text that was stored").isPositive();
        assertThat(refused).as("odd identifiers that were refused").isPositive();
    }

    @Test
    void anAnswerWithNulIsRecordedAndReplayedExactlyToTheRedeliveredJob() {
        String project = unique("odd");
        routeProjectTo(project, unique("odd-model"), "0.000001", "0.000002");
        DecisionRequest call = request(project, "classify", 10, 10);
        Decision decision = worker.decide(call);
        String answer = "label: billing\u0000\uD800 \uD83D\uDE00";
        Decision.Candidate model = decision.candidates().getFirst();
        worker.reportOutcome(
                decision.decisionId(),
                new io.aiops.policy.api.CallOutcome(
                        List.of(new io.aiops.policy.api.CallOutcome.Attempt(
                                model.provider(),
                                model.model(),
                                5L,
                                0L,
                                0L,
                                3L,
                                0L,
                                4L,
                                io.aiops.policy.api.CallStatus.SUCCEEDED,
                                null)),
                        Map.of(),
                        "prompt\u0000",
                        answer));

        Decision again = worker.decide(call);

        assertThat(again.settledCall()).isNotNull();
        assertThat(again.settledCall().responseText()).isEqualTo(answer);
    }

    @Test
    void unknownFieldsAreRefusedOnEveryWriteEndpointNamingThem() throws Exception {
        String project = unique("unknown");
        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : endpoints(project)) {
            List<String> places = new ArrayList<>(List.of("cacheReadPerTokn"));
            // one level down as well, where the body has an object or a list of objects
            endpoint.body().get().fields().forEachRemaining(member -> {
                if (member.getValue().isObject()
                        && !member.getKey().equals("tags")
                        && !member.getKey().equals("qualityScores")) {
                    places.add(member.getKey() + ".misspelt");
                } else if (member.getValue().isArray()
                        && member.getValue().path(0).isObject()) {
                    places.add(member.getKey() + "[0].misspelt");
                }
            });
            for (String place : places) {
                ObjectNode body = endpoint.body().get();
                set(body, place, "1");
                String path = endpoint.path().get();
                HttpResponse<String> response = send(endpoint.method(), path, escaped(body));
                JsonNode problem = JSON.readTree(response.body());
                if (response.statusCode() != 400
                        || !place.equals(problem.path("field").asText())
                        || !problem.path("detail").asText().contains("not a known field")) {
                    failures.add(endpoint.method() + " " + path + " with " + place + ": " + response.statusCode() + " "
                            + response.body());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedNamingTheField() throws Exception {
        int decisionCountBefore = decisionCount();
        String valid = escaped(decisionBody(unique("odd")));
        byte[] body = valid.replace("\"taskKind\":\"classify\"", "\"taskKind\":\"class\u00FFify\"")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).contains("\u00FF");
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUri() + "/api/v1/decisions"))
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("field").asText()).isEqualTo("taskKind");
        assertThat(decisionCount()).isEqualTo(decisionCountBefore);
    }

    /**
     * Whether a problem's field names {@code field}: map entries are named {@code tags[team]}, and an unknown
     * provider/model pair is named by its model.
     */
    private static boolean namesField(String named, String field) {
        return named.equals(field)
                || named.equals(field.replace("tags.team", "tags[team]"))
                || (field.endsWith(".provider") && named.equals(field.replace(".provider", ".model")));
    }

    /** What was stored for the call behind an outcome path, read back the way the service reads it. */
    private String storedText(String outcomePath, String field) {
        UUID decisionId = UUID.fromString(outcomePath.split("/")[4]);
        String column = field.equals("requestText") ? "request_text" : "response_text";
        return StoredText.decode(db.fetchValue("select " + column + " from calls where decision_id = ?", decisionId)
                .toString());
    }

    private ObjectNode decisionBody(String project) {
        long key = nextKey();
        return object(Map.of(
                "idempotencyKey",
                "ei:" + key + ":1",
                "project",
                project,
                "bpmnProcessId",
                "odd-flow",
                "processInstanceKey",
                key,
                "elementId",
                "classify",
                "elementInstanceKey",
                key,
                "taskKind",
                "classify",
                "estimatedInputTokens",
                10,
                "maxOutputTokens",
                10,
                "tags",
                Map.of("team", "support")));
    }

    private static ObjectNode object(Map<String, ?> fields) {
        return JSON.valueToTree(fields);
    }

    /** Sets {@code path} ({@code a.b}, {@code a[0].b}) in {@code body}, creating what is missing. */
    private static void set(ObjectNode body, String path, String value) {
        String[] steps = path.split("\\.");
        JsonNode at = body;
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            int index = -1;
            if (step.endsWith("]")) {
                index = Integer.parseInt(step.substring(step.indexOf('[') + 1, step.length() - 1));
                step = step.substring(0, step.indexOf('['));
            }
            ObjectNode object = (ObjectNode) at;
            boolean last = i == steps.length - 1;
            if (index < 0) {
                if (last) {
                    object.put(step, value);
                } else {
                    at = object.has(step) ? object.get(step) : object.putObject(step);
                }
            } else {
                ArrayNode array = object.has(step) ? (ArrayNode) object.get(step) : object.putArray(step);
                if (last) {
                    array.set(index, value);
                } else {
                    at = array.get(index);
                }
            }
        }
    }

    /** JSON text with everything outside ASCII escaped, so NUL and unpaired surrogates travel as {@code \\uXXXX}. */
    private static String escaped(JsonNode body) throws Exception {
        return JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(body);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUri() + path))
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The identifier rule as the API states it. */
    private static final class RequestLimitsView {
        static boolean printable(String value) {
            return io.aiops.policy.api.RequestLimits.printable(value)
                    && value.length() <= io.aiops.policy.api.RequestLimits.MAX_NAME;
        }
    }
}
