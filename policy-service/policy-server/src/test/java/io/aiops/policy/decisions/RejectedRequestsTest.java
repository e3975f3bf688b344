package io.aiops.policy.decisions;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.BUDGETS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RESERVATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.support.PolicyServerTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input, missing keys and wrong roles: problem+json naming the field, and nothing written. */
class RejectedRequestsTest extends PolicyServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    static List<Arguments> invalidDecisionRequests() {
        return List.of(
                Arguments.of("idempotencyKey", (Function<DecisionRequest, DecisionRequest>) r -> copy(
                        r, null, r.project(), r.elementInstanceKey(), r.estimatedInputTokens(), r.maxOutputTokens())),
                Arguments.of("project", (Function<DecisionRequest, DecisionRequest>) r -> copy(
                        r,
                        r.idempotencyKey(),
                        " ",
                        r.elementInstanceKey(),
                        r.estimatedInputTokens(),
                        r.maxOutputTokens())),
                Arguments.of("elementInstanceKey", (Function<DecisionRequest, DecisionRequest>) r ->
                        copy(r, r.idempotencyKey(), r.project(), null, r.estimatedInputTokens(), r.maxOutputTokens())),
                Arguments.of("estimatedInputTokens", (Function<DecisionRequest, DecisionRequest>)
                        r -> copy(r, r.idempotencyKey(), r.project(), r.elementInstanceKey(), -1, r.maxOutputTokens())),
                Arguments.of("maxOutputTokens", (Function<DecisionRequest, DecisionRequest>) r ->
                        copy(r, r.idempotencyKey(), r.project(), r.elementInstanceKey(), r.estimatedInputTokens(), 0)));
    }

    private static DecisionRequest copy(
            DecisionRequest r, String key, String project, Long elementInstanceKey, Integer input, Integer output) {
        return new DecisionRequest(
                key,
                project,
                r.bpmnProcessId(),
                r.processDefinitionKey(),
                r.processInstanceKey(),
                r.elementId(),
                elementInstanceKey,
                r.jobKey(),
                r.taskKind(),
                r.modelHint(),
                input,
                output,
                r.tags());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDecisionRequests")
    void invalidDecisionRequestNamesTheFieldAndWritesNothing(
            String field, Function<DecisionRequest, DecisionRequest> breakIt) {
        int decisions = decisionCount();
        int reservations = db.fetchCount(RESERVATIONS);

        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class,
                () -> worker.decide(breakIt.apply(request(unique("proj"), "classify", 10, 10))));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("https://aiops.io/problems/validation");
        assertThat(e.field()).isEqualTo(field);
        assertThat(decisionCount()).isEqualTo(decisions);
        assertThat(db.fetchCount(RESERVATIONS)).isEqualTo(reservations);
    }

    @Test
    void aRequestWithSeveralInvalidFieldsNamesEveryOneOfThemToTheClient() {
        int decisions = decisionCount();

        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class,
                () -> worker.decide(copy(request(unique("proj"), "classify", 10, 10), null, " ", 7L, -1, 0)));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors())
                .extracting(PolicyServiceException.FieldError::field)
                .containsExactlyInAnyOrder("idempotencyKey", "project", "estimatedInputTokens", "maxOutputTokens");
        assertThat(e.errors()).allSatisfy(error -> assertThat(error.message()).isNotBlank());
        assertThat(e.field()).isEqualTo(e.errors().getFirst().field());
        // the message a connector shows in its incident names all four
        assertThat(e.getMessage()).contains("idempotencyKey", "project", "estimatedInputTokens", "maxOutputTokens");
        assertThat(decisionCount()).isEqualTo(decisions);
    }

    static List<Arguments> invalidAttempts() {
        return List.of(
                Arguments.of(
                        "attempts[0].inputTokens",
                        new CallOutcome.Attempt(
                                "openai", "gpt-4o", -1L, 0L, 0L, 1L, 0L, 1L, CallStatus.SUCCEEDED, null)),
                Arguments.of(
                        "attempts[0].cachedInputTokens",
                        new CallOutcome.Attempt(
                                "openai", "gpt-4o", 10L, 8L, 3L, 1L, 0L, 1L, CallStatus.SUCCEEDED, null)),
                Arguments.of(
                        "attempts[0].reasoningTokens",
                        new CallOutcome.Attempt(
                                "openai", "gpt-4o", 10L, 0L, 0L, 1L, 2L, 1L, CallStatus.SUCCEEDED, null)),
                Arguments.of(
                        "attempts[0].status",
                        new CallOutcome.Attempt("openai", "gpt-4o", 10L, 0L, 0L, 1L, 0L, 1L, null, null)),
                Arguments.of(
                        "attempts[0].model",
                        new CallOutcome.Attempt("openai", "", 10L, 0L, 0L, 1L, 0L, 1L, CallStatus.SUCCEEDED, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAttempts")
    void invalidOutcomeNamesTheFieldAndWritesNothing(String field, CallOutcome.Attempt attempt) {
        Decision decision = worker.decide(request(unique("proj"), "classify", 10, 10));
        int calls = db.fetchCount(CALLS);

        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class,
                () -> worker.reportOutcome(decision.decisionId(), new CallOutcome(List.of(attempt), null, null, null)));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo(field);
        assertThat(db.fetchCount(CALLS)).isEqualTo(calls);
        assertThat(db.fetchValue(RESERVATIONS.STATUS, RESERVATIONS.DECISION_ID.eq(decision.decisionId())))
                .isEqualTo("OPEN");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {
                "4BF92F3577B34DA6A3CE929D0E0E4736", // upper case
                "4bf92f3577b34da6a3ce929d0e0e473", // 31 digits
                "4bf92f3577b34da6a3ce929d0e0e47360", // 33 digits
                "00000000000000000000000000000000", // the invalid trace id
                "4bf92f35-77b3-4da6-a3ce-929d0e0e4736", // a UUID, not a trace id
                ""
            })
    void anOutcomeWithAMalformedTraceIdIsA400ProblemNamingTheFieldAndWritesNothing(String traceId) throws Exception {
        Decision decision = worker.decide(request(unique("proj"), "classify", 10, 10));
        int calls = db.fetchCount(CALLS);
        CallOutcome outcome = new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "openai", "gpt-4o", 10L, 0L, 0L, 1L, 0L, 1L, CallStatus.SUCCEEDED, null)),
                        null,
                        null,
                        null)
                .withTraceId(traceId);

        HttpResponse<String> response = send(
                "POST",
                "/api/v1/decisions/" + decision.decisionId() + "/outcome",
                ADMIN_KEY,
                PolicyClient.JSON.writeValueAsString(outcome));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = PolicyClient.JSON.readTree(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("https://aiops.io/problems/validation");
        assertThat(problem.path("field").asText()).isEqualTo("traceId");
        assertThat(db.fetchCount(CALLS)).isEqualTo(calls);
    }

    @Test
    void outcomeWithoutAttemptsIsRejected() {
        Decision decision = worker.decide(request(unique("proj"), "classify", 10, 10));

        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class,
                () -> worker.reportOutcome(decision.decisionId(), new CallOutcome(List.of(), null, null, null)));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("attempts");
    }

    @Test
    void badEnumValueIsA400NamingTheFieldNotA500() throws Exception {
        int budgets = db.fetchCount(BUDGETS);
        String id = unique("budget");

        HttpResponse<String> response = send(
                "PUT",
                "/api/v1/budgets/" + id,
                ADMIN_KEY,
                "{\"id\":\"" + id + "\",\"period\":\"FORTNIGHT\",\"limitUsd\":5,\"mode\":\"HARD\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = PolicyClient.JSON.readTree(response.body());
        assertThat(problem.path("field").asText()).isEqualTo("period");
        assertThat(db.fetchCount(BUDGETS)).isEqualTo(budgets);
    }

    @Test
    void malformedJsonIsA400Problem() throws Exception {
        int decisions = decisionCount();

        HttpResponse<String> response = send("POST", "/api/v1/decisions", ADMIN_KEY, "{\"idempotencyKey\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = PolicyClient.JSON.readTree(response.body());
        assertThat(problem.path("type").asText()).isEqualTo("https://aiops.io/problems/malformed-request");
        assertThat(decisionCount()).isEqualTo(decisions);
    }

    @Test
    void missingOrUnknownKeyIs401() throws Exception {
        HttpResponse<String> noKey = send("GET", "/api/v1/models/openai/gpt-4o", null, null);
        HttpResponse<String> unknownKey = send("GET", "/api/v1/models/openai/gpt-4o", "not-a-key", null);

        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(unknownKey.statusCode()).isEqualTo(401);
        assertThat(PolicyClient.JSON.readTree(unknownKey.body()).path("type").asText())
                .isEqualTo("https://aiops.io/problems/unauthenticated");
        assertThat(unknownKey.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    }

    @Test
    void wrongRoleIs403AndWritesNothing() {
        int decisions = decisionCount();

        PolicyServiceException viewerDeciding = catchThrowableOfType(
                PolicyServiceException.class, () -> viewer.decide(request(unique("proj"), "classify", 10, 10)));
        PolicyServiceException workerPricing = catchThrowableOfType(
                PolicyServiceException.class,
                () -> worker.putModel(
                        new ModelPrice("openai", "gpt-4o", BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, null)));

        assertThat(viewerDeciding.status()).isEqualTo(403);
        assertThat(viewerDeciding.type()).isEqualTo("https://aiops.io/problems/forbidden");
        assertThat(workerPricing.status()).isEqualTo(403);
        assertThat(decisionCount()).isEqualTo(decisions);
        assertThat(admin.getModel("openai", "gpt-4o").inputPerToken()).isEqualByComparingTo("0.0000025");
    }

    @Test
    void projectScopedKeyMayNotDecideForOtherProjects() {
        String project = unique("proj");
        PolicyClient scoped = new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest("scoped", ApiRole.WORKER, List.of(project)))
                        .key());

        assertThat(scoped.decide(request(project, "classify", 10, 10)).allowed())
                .isTrue();
        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class, () -> scoped.decide(request(unique("other"), "classify", 10, 10)));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.field()).isEqualTo("project");
    }

    @Test
    void nonNumericPathVariableIsA400() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/process-instances/abc/calls", ADMIN_KEY, null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(PolicyClient.JSON.readTree(response.body()).path("field").asText())
                .isEqualTo("processInstanceKey");
        HttpResponse<String> badId = send("POST", "/api/v1/decisions/" + "nope" + "/outcome", ADMIN_KEY, "{}");
        assertThat(badId.statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> send(String method, String path, String key, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(baseUri().resolve(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
