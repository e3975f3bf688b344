package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetReservation;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import io.aiops.policy.api.SettledCall;
import io.aiops.policy.application.port.in.RequestRejected;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.ProblemDetail;

/**
 * Examples on the operations of the OpenAPI description, built from the API's own records and written by the
 * application's {@link ObjectMapper}, so an example always has the fields the types have. Problems come from the same
 * code that answers requests ({@link ProblemResponses}, {@link ApiKeyAuthenticationFilter}); the validation problems
 * are the Bean Validation result of an invalid request example, which is listed next to the valid one. Every operation
 * gets its 401 and 403 answers; decisions, outcomes and budgets get theirs in full.
 */
final class OpenApiExamples implements OpenApiCustomizer {

    static final String PROBLEM_SCHEMA = "Problem";
    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

    /** Request examples a client should not send: they show what the 400 example answers. */
    static final String INVALID = "invalid";

    static final String DECISIONS = "/api/v1/decisions";
    static final String OUTCOME = "/api/v1/decisions/{decisionId}/outcome";
    static final String BUDGET = "/api/v1/budgets/{id}";

    private static final String UNAUTHENTICATED = "Unauthenticated";
    private static final String FORBIDDEN = "Forbidden";

    static final UUID DECISION_ID = UUID.fromString("5b0d6f1e-3c2a-4f4e-9a51-2f7c0d8e9b14");
    static final UUID UNKNOWN_DECISION_ID = UUID.fromString("0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
    private static final UUID RESERVATION_ID = UUID.fromString("8c1f2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f");
    private static final UUID CALL_ID = UUID.fromString("c4a3b2d1-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
    private static final String PROJECT = "support";
    private static final String BUDGET_ID = "support-monthly";

    private final ObjectMapper json;
    private final Validator validator;

    OpenApiExamples(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    @Override
    public void customise(OpenAPI api) {
        api.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
        api.getComponents()
                .addResponses(
                        UNAUTHENTICATED,
                        problems(
                                "No API key, or one that is not valid (several in a minute from one address: 429)",
                                Map.of(
                                        "no key", example(ApiKeyAuthenticationFilter.unauthenticated(false)),
                                        "unknown key", example(ApiKeyAuthenticationFilter.unauthenticated(true)))));
        api.getComponents()
                .addResponses(
                        FORBIDDEN,
                        problems(
                                "The key's role may not call this endpoint, or the data belongs to a project the key is"
                                        + " not limited to",
                                Map.of(
                                        "role",
                                        example(
                                                "A worker key reading a budget",
                                                ApiKeyAuthenticationFilter.forbidden(
                                                        ApiRole.WORKER, "PUT", "/api/v1/budgets/" + BUDGET_ID)),
                                        "project",
                                        example(
                                                "A key limited to other projects",
                                                handled(
                                                        forbiddenProject("project"),
                                                        "/api/v1/budgets/" + BUDGET_ID)))));

        decisions(operation(api, DECISIONS, PathItem.HttpMethod.POST));
        outcomes(operation(api, OUTCOME, PathItem.HttpMethod.POST));
        budgets(operation(api, BUDGET, PathItem.HttpMethod.PUT), operation(api, BUDGET, PathItem.HttpMethod.GET));

        api.getPaths()
                .values()
                .forEach(item -> item.readOperations().forEach(operation -> {
                    ApiResponses responses = operation.getResponses();
                    responses.putIfAbsent("401", new ApiResponse().$ref("#/components/responses/" + UNAUTHENTICATED));
                    responses.putIfAbsent("403", new ApiResponse().$ref("#/components/responses/" + FORBIDDEN));
                }));
    }

    private void decisions(Operation decide) {
        DecisionRequest request = new DecisionRequest(
                "ei:2251799813685262:1",
                PROJECT,
                "support-ticket-triage",
                2251799813685249L,
                2251799813685251L,
                "classify_ticket",
                2251799813685262L,
                2251799813685265L,
                "classify",
                "gpt-4o-mini",
                120,
                16,
                Map.of("channel", "email"));
        DecisionRequest invalid = new DecisionRequest(
                request.idempotencyKey(),
                PROJECT,
                request.bpmnProcessId(),
                request.processDefinitionKey(),
                null,
                "",
                request.elementInstanceKey(),
                request.jobKey(),
                request.taskKind(),
                null,
                120,
                16,
                Map.of());
        requestExamples(
                decide,
                ordered(
                        "classify",
                        example("A classification task of a support workflow", request),
                        INVALID,
                        example("No process instance key and a blank element id: answered 400", invalid)));

        List<Decision.Candidate> candidates = List.of(
                new Decision.Candidate("openai", "gpt-4o-mini", 16, 10_000),
                new Decision.Candidate("openai", "gpt-4o", 16, 10_000));
        BudgetReservation reservation =
                new BudgetReservation(RESERVATION_ID, new BigDecimal("0.00046"), Instant.parse("2026-11-26T10:15:00Z"));
        Decision allowed = new Decision(DECISION_ID, true, null, null, candidates, reservation, null);
        Decision denied = new Decision(
                DECISION_ID,
                false,
                DenialReason.BUDGET_EXCEEDED,
                "HARD budget '" + BUDGET_ID + "' has 0.0002 USD left; this call may cost up to 0.00046 USD",
                List.of(),
                null,
                null);
        Decision settled = new Decision(
                DECISION_ID,
                true,
                null,
                null,
                candidates,
                reservation,
                new SettledCall(
                        CALL_ID,
                        CallStatus.SUCCEEDED,
                        "openai",
                        "gpt-4o-mini",
                        new BigDecimal("0.0000198"),
                        "billing"));
        responseExamples(
                decide,
                "200",
                ordered(
                        "allowed",
                        example(
                                "Allowed: try the candidates in order; the reservation holds the most it can cost",
                                allowed),
                        "denied",
                        example(
                                "Denied: a HARD budget has no room for the call (BPMN error AI_BUDGET_EXCEEDED)",
                                denied),
                        "settled",
                        example(
                                "The same idempotency key again after the outcome was recorded (a redelivered job):"
                                        + " reuse the answer instead of calling the model again",
                                settled)));
        problemResponse(
                decide,
                "400",
                "A field breaks a rule: every violation in errors, the first named in field",
                Map.of("invalid", example("The invalid request example", handled(invalid(invalid), DECISIONS))));
        problemResponse(
                decide,
                "403",
                "The key's role may not ask for decisions, or the request names a project the key is not limited to",
                ordered(
                        "role",
                        example(
                                "A viewer key",
                                ApiKeyAuthenticationFilter.forbidden(ApiRole.VIEWER, "POST", DECISIONS)),
                        "project",
                        example("A key limited to other projects", handled(forbiddenProject("project"), DECISIONS))));
        problemResponse(
                decide,
                "409",
                "The idempotency key was used for another call; nothing stored",
                Map.of(
                        "idempotency key reused",
                        example(handled(
                                new RequestRejected(
                                        RequestRejected.Kind.CONFLICT,
                                        "idempotencyKey",
                                        "idempotencyKey '" + request.idempotencyKey() + "' was used for another call"
                                                + " (elementInstanceKey 2251799813685262 before, 2251799813685270"
                                                + " now); use a key per job or element instance"),
                                DECISIONS))));
        databaseUnavailable(decide, DECISIONS);
    }

    private void outcomes(Operation record) {
        CallOutcome outcome = new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "openai", "gpt-4o-mini", 120L, 0L, 0L, 3L, 0L, 640L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        "Classify this ticket: my invoice shows a charge twice",
                        "billing",
                        List.of(Score.passFail("one-of-the-labels", true, ScoreSource.RULE, null, "1", 1)))
                .withTraceId("4bf92f3577b34da6a3ce929d0e0e4736");
        CallOutcome failover = new CallOutcome(
                List.of(
                        new CallOutcome.Attempt(
                                "openai", "gpt-4o-mini", 0L, 0L, 0L, 0L, 0L, 30_000L, CallStatus.FAILED, "HTTP_503"),
                        new CallOutcome.Attempt(
                                "openai", "gpt-4o", 120L, 0L, 0L, 3L, 0L, 910L, CallStatus.SUCCEEDED, null)),
                Map.of(),
                outcome.requestText(),
                "billing");
        CallOutcome invalid = new CallOutcome(
                List.of(new CallOutcome.Attempt(
                        "openai", "gpt-4o-mini", -1L, 0L, 0L, 3L, 0L, 640L, CallStatus.SUCCEEDED, null)),
                Map.of(),
                null,
                null);
        requestExamples(
                record,
                ordered(
                        "answered",
                        example("The first candidate answered; a rule check passed", outcome),
                        "failover",
                        example("The first candidate failed, the second answered: both attempts", failover),
                        INVALID,
                        example("A negative token count: answered 400", invalid)));

        OutcomeReceipt receipt = new OutcomeReceipt(
                CALL_ID, new BigDecimal("0.0000198"), CallStatus.SUCCEEDED, new BigDecimal("0.0004402"));
        responseExamples(
                record,
                "200",
                ordered(
                        "recorded",
                        example("Priced from the catalog; the rest of the reservation is released", receipt),
                        "replay",
                        example(
                                "The same outcome posted again (a retried request or a redelivered job): the first"
                                        + " receipt, nothing recorded or booked twice",
                                receipt)));
        String path = "/api/v1/decisions/" + DECISION_ID + "/outcome";
        problemResponse(
                record,
                "400",
                "A field breaks a rule: every violation in errors, the first named in field",
                Map.of("invalid", example("The invalid request example", handled(invalid(invalid), path))));
        problemResponse(
                record,
                "403",
                "The key's role may not report outcomes, or the decision belongs to a project the key is not limited"
                        + " to",
                ordered(
                        "role",
                        example("A viewer key", ApiKeyAuthenticationFilter.forbidden(ApiRole.VIEWER, "POST", path)),
                        "project",
                        example("A key limited to other projects", handled(forbiddenProject("decisionId"), path))));
        String unknownPath = "/api/v1/decisions/" + UNKNOWN_DECISION_ID + "/outcome";
        problemResponse(
                record,
                "404",
                "No such decision",
                Map.of(
                        "unknown decision",
                        example(handled(RequestRejected.notFound("no decision " + UNKNOWN_DECISION_ID), unknownPath))));
        problemResponse(
                record,
                "409",
                "The decision was denied: there is no call to record",
                Map.of(
                        "denied decision",
                        example(handled(
                                new RequestRejected(
                                        RequestRejected.Kind.CONFLICT,
                                        null,
                                        "decision " + DECISION_ID + " was denied (" + DenialReason.BUDGET_EXCEEDED
                                                + "); it has no call to record"),
                                path))));
        problemResponse(
                record,
                "422",
                "An attempt names a model the catalog does not price; nothing recorded",
                Map.of(
                        "unknown model",
                        example(handled(
                                new RequestRejected(
                                        RequestRejected.Kind.UNKNOWN_MODEL,
                                        "attempts[0].model",
                                        "model openai/gpt-9 is not in the catalog"),
                                path))));
        databaseUnavailable(record, path);
    }

    private void budgets(Operation put, Operation get) {
        String path = "/api/v1/budgets/" + BUDGET_ID;
        BudgetDefinition definition = new BudgetDefinition(
                BUDGET_ID,
                new BudgetDefinition.BudgetScope(PROJECT, null, null, null, null),
                BudgetDefinition.BudgetPeriod.MONTH,
                new BigDecimal("500"),
                BudgetDefinition.BudgetMode.HARD,
                "Europe/Berlin",
                List.of(50, 80, 100));
        requestExamples(put, Map.of("monthly", example("A HARD monthly limit for a project", definition)));
        BudgetStatus status = new BudgetStatus(
                definition,
                Instant.parse("2026-10-31T23:00:00Z"),
                Instant.parse("2026-11-30T23:00:00Z"),
                new BigDecimal("412.37"),
                new BigDecimal("0.00046"),
                new BigDecimal("87.62954"),
                List.of(50, 80));
        responseExamples(put, "200", Map.of("this month", example("The budget with its current window", status)));
        responseExamples(get, "200", Map.of("this month", example("The budget with its current window", status)));
        problemResponse(
                put,
                "403",
                "The key may not set budgets, or the scope names a project the key is not limited to",
                ordered(
                        "role",
                        example("A viewer key", ApiKeyAuthenticationFilter.forbidden(ApiRole.VIEWER, "PUT", path)),
                        "project",
                        example("A key limited to other projects", handled(forbiddenProject("scope.project"), path))));
        problemResponse(
                put,
                "409",
                "Another budget already limits the same scope, period and mode",
                Map.of(
                        "second budget",
                        example(handled(
                                new RequestRejected(
                                        RequestRejected.Kind.CONFLICT,
                                        "scope",
                                        "budget 'support-hard-cap' already limits this scope per MONTH (HARD) with"
                                                + " limit 400 USD instead of 500 USD; change that budget instead of"
                                                + " adding a second one"),
                                path))));
        problemResponse(
                get,
                "404",
                "No such budget",
                Map.of("unknown budget", example(handled(RequestRejected.notFound("no budget " + BUDGET_ID), path))));
        problemResponse(
                get,
                "403",
                "The budget belongs to a project the key is not limited to",
                Map.of("project", example(handled(forbiddenProject("id"), path))));
    }

    /** A refusal of data of project {@code support} to a key limited to other projects (see ProjectAccess). */
    private static RequestRejected forbiddenProject(String field) {
        return new RequestRejected(
                RequestRejected.Kind.FORBIDDEN, field, "this API key may not access project " + PROJECT);
    }

    /** The problem Bean Validation makes of the request, as the server answers it. */
    private ProblemDetail invalid(Object request) {
        List<FieldViolations.Violation> violations =
                validator.validate(request).stream().map(FieldViolations::of).toList();
        if (violations.isEmpty()) {
            throw new IllegalStateException("the invalid example breaks no rule: " + request);
        }
        return ProblemResponses.invalidProblem(violations);
    }

    /**
     * A problem as a handler's answer carries it: Spring MVC names the request path as its {@code instance}
     * (problems of the API key check come before any handler and have none).
     */
    private static ProblemDetail handled(ProblemDetail problem, String path) {
        problem.setInstance(URI.create(path));
        return problem;
    }

    private static ProblemDetail handled(RequestRejected rejected, String path) {
        return handled(ProblemResponses.problemOf(rejected), path);
    }

    private void databaseUnavailable(Operation operation, String path) {
        problemResponse(
                operation,
                "503",
                "The database went away mid-request (restart, failover); Retry-After: 1. Sending the request again is"
                        + " safe",
                Map.of("database away", example(handled(ProblemResponses.databaseUnavailable(), path))));
    }

    private Example example(Object value) {
        return new Example().value(json.valueToTree(value));
    }

    private Example example(String summary, Object value) {
        return example(value).summary(summary);
    }

    private static Map<String, Example> ordered(Object... namesAndExamples) {
        Map<String, Example> examples = new LinkedHashMap<>();
        for (int i = 0; i < namesAndExamples.length; i += 2) {
            examples.put((String) namesAndExamples[i], (Example) namesAndExamples[i + 1]);
        }
        return examples;
    }

    private static Operation operation(OpenAPI api, String path, PathItem.HttpMethod method) {
        PathItem item = api.getPaths().get(path);
        Operation operation = item == null ? null : item.readOperationsMap().get(method);
        if (operation == null) {
            throw new IllegalStateException("the description has no " + method + " " + path);
        }
        return operation;
    }

    private static void requestExamples(Operation operation, Map<String, Example> examples) {
        MediaType media = operation.getRequestBody().getContent().get(JSON);
        if (media == null) {
            throw new IllegalStateException("no JSON request body on " + operation.getOperationId());
        }
        media.setExamples(examples);
    }

    private static void responseExamples(Operation operation, String status, Map<String, Example> examples) {
        ApiResponse response = operation.getResponses().get(status);
        MediaType media = response == null ? null : response.getContent().get(JSON);
        if (media == null) {
            throw new IllegalStateException("no JSON " + status + " answer on " + operation.getOperationId());
        }
        media.setExamples(examples);
    }

    private static void problemResponse(
            Operation operation, String status, String description, Map<String, Example> examples) {
        operation.getResponses().addApiResponse(status, problems(description, examples));
    }

    private static ApiResponse problems(String description, Map<String, Example> examples) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                PROBLEM_JSON,
                                new MediaType()
                                        .schema(new JsonSchema().$ref("#/components/schemas/" + PROBLEM_SCHEMA))
                                        .examples(examples)));
    }

    /** RFC 9457 problem details with the service's {@code field} and, for broken rules, {@code errors}. */
    private static Schema<?> problemSchema() {
        Schema<?> violation = object("One broken rule")
                .addProperty("field", string("The JSON path of the value"))
                .addProperty("message", string("The rule it breaks"));
        return object("RFC 9457 problem details (application/problem+json); see docs/api.md#errors")
                .addProperty(
                        "type",
                        string("https://aiops.io/problems/ followed by the problem's name (validation, not-found, ...)")
                                .format("uri"))
                .addProperty("title", string("The problem's name in words"))
                .addProperty("status", new JsonSchema().types(Set.of("integer")).description("The HTTP status"))
                .addProperty("detail", string("What was wrong with this request"))
                .addProperty("instance", string("The request's path (absent when the API key check refused it)"))
                .addProperty(
                        "field",
                        string("The offending field as a JSON path into the request (attempts[2].inputTokens), or the"
                                + " path variable or query parameter; absent when no one field is at fault"))
                .addProperty(
                        "errors",
                        new JsonSchema()
                                .types(Set.of("array"))
                                .description("Every broken Bean Validation rule, in a stable order")
                                .items(violation))
                .required(List.of("type", "title", "status"));
    }

    private static Schema<?> object(String description) {
        return new JsonSchema().types(Set.of("object")).description(description);
    }

    private static Schema<?> string(String description) {
        return new JsonSchema().types(Set.of("string")).description(description);
    }
}
