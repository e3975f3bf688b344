package io.aiops.policy.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.JudgeSettings;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PromptDefinition;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.RetentionSettings;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.application.port.in.EvaluateAlertsUseCase;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every endpoint × every kind of caller: no key, an unscoped admin, admin/worker/viewer keys of the data's project,
 * and admin/worker/viewer keys of another project. A key of another project never reads or changes the data.
 */
class AuthorisationMatrixTest extends PolicyServerTest {

    /** Column order of the expected statuses. */
    enum Caller {
        NONE,
        ADMIN,
        ADMIN_P,
        WORKER_P,
        VIEWER_P,
        ADMIN_Q,
        WORKER_Q,
        VIEWER_Q
    }

    private record Endpoint(String method, Supplier<String> path, Supplier<Object> body, String expected) {}

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    EvaluateAlertsUseCase alerts;

    @Test
    void everyEndpointAnswersEveryCallerAsSpecified() throws Exception {
        String p = unique("proj-p");
        String q = unique("proj-q");
        String model = "matrix-" + p;
        routeProjectTo(p, model, "0.000001", "0.000002");
        String policyId = unique("route");
        admin.putRoutingPolicy(
                new RoutingPolicy(policyId, p, "summarise", List.of(new RoutingPolicy.Target("acme", model, null))));
        String budgetId = budget(p, "100", BudgetDefinition.BudgetMode.HARD);
        DecisionRequest first = request(p, "classify", 10, 10);
        Decision decision = worker.decide(first);
        CallOutcome outcome = new CallOutcome(
                List.of(new CallOutcome.Attempt("acme", model, 10L, 0L, 0L, 5L, 0L, 10L, CallStatus.SUCCEEDED, null)),
                Map.of(),
                "prompt",
                "answer");
        UUID callId = worker.reportOutcome(decision.decisionId(), outcome).callId();
        String prompt = unique("matrix-prompt");
        admin.putPrompt(prompt, new PromptDefinition(p, null, "Classify {{text}}", List.of()));
        admin.putJudge(p, null, new JudgeSettings(new BigDecimal("0.1"), "acme", model, null, null, null, null));
        Map<String, Object> promptBody = Map.of("project", p, "template", "Classify {{text}}");
        Map<String, Object> judgeBody = Map.of("sampleRate", 0.1, "provider", "acme", "model", model);
        Map<String, Object> verdict =
                Map.of("scores", List.of(Map.of("name", "accepted", "type", "BOOLEAN", "value", 1, "source", "HUMAN")));

        Map<Caller, String> keys = new LinkedHashMap<>();
        keys.put(Caller.NONE, null);
        keys.put(Caller.ADMIN, ADMIN_KEY);
        keys.put(Caller.ADMIN_P, key(ApiRole.ADMIN, p));
        keys.put(Caller.WORKER_P, key(ApiRole.WORKER, p));
        keys.put(Caller.VIEWER_P, key(ApiRole.VIEWER, p));
        keys.put(Caller.ADMIN_Q, key(ApiRole.ADMIN, q));
        keys.put(Caller.WORKER_Q, key(ApiRole.WORKER, q));
        keys.put(Caller.VIEWER_Q, key(ApiRole.VIEWER, q));

        String importTable = "{\"" + model + "\": {\"litellm_provider\": \"acme\", \"mode\": \"chat\","
                + " \"input_cost_per_token\": 1e-06, \"output_cost_per_token\": 2e-06}}";
        String budgetJson = "{\"id\":\"" + budgetId + "\",\"scope\":{\"project\":\"" + p
                + "\"},\"period\":\"DAY\",\"limitUsd\":100,\"mode\":\"HARD\"}";
        String alertRuleId = unique("alert-rule");
        String alertRuleJson = "{\"project\":\"" + p + "\",\"kind\":\"DAILY_SPEND_ABOVE\",\"thresholdUsd\":0}";
        //                                               NONE ADM  A_P  W_P  V_P  A_Q  W_Q  V_Q
        List<Endpoint> endpoints = List.of(
                new Endpoint(
                        "POST",
                        () -> "/api/v1/decisions",
                        () -> request(p, "classify", 10, 10),
                        "401 200  200  200  403  403  403  403"),
                new Endpoint(
                        "POST",
                        () -> "/api/v1/decisions/" + decision.decisionId() + "/outcome",
                        () -> outcome,
                        "401 200  200  200  403  403  403  403"),
                // prompts: read by every key of their project, changed by its admins; the same text again is 200
                new Endpoint(
                        "GET", () -> "/api/v1/prompts/" + prompt, () -> null, "401 200  200  200  200  403  403  403"),
                new Endpoint(
                        "PUT",
                        () -> "/api/v1/prompts/" + prompt,
                        () -> promptBody,
                        "401 200  200  403  403  403  403  403"),
                // judge settings: set by the project's admins, the effective ones read by its workers too
                new Endpoint(
                        "PUT",
                        () -> "/api/v1/projects/" + p + "/judge",
                        () -> judgeBody,
                        "401 200  200  403  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/projects/" + p + "/judge/effective",
                        () -> null,
                        "401 200  200  200  200  403  403  403"),
                // a one-time dashboard link signs its opener in as the admin who asked (limited to that key's projects)
                new Endpoint(
                        "POST", () -> "/api/v1/ui/sign-in-links", () -> null, "401 200  200  403  403  200  403  403"),
                // the API description is the same for everyone with a key
                new Endpoint("GET", () -> "/v3/api-docs", () -> null, "401 200  200  200  200  200  200  200"),
                new Endpoint("GET", () -> "/v3/api-docs.yaml", () -> null, "401 200  200  200  200  200  200  200"),
                // the dashboards' copy of it and their Swagger UI need a signed-in session: a key is not one
                new Endpoint("GET", () -> "/ui/api/openapi.json", () -> null, "302 302  302  302  302  302  302  302"),
                new Endpoint(
                        "GET", () -> "/ui/api/swagger-config", () -> null, "302 302  302  302  302  302  302  302"),
                new Endpoint(
                        "GET", () -> "/ui/swagger-ui/index.html", () -> null, "302 302  302  302  302  302  302  302"),
                // every key reads quality reports, each only of its own projects (checked in QualityReportApiTest)
                new Endpoint(
                        "GET",
                        () -> "/api/v1/quality?groupBy=project",
                        () -> null,
                        "401 200  200  200  200  200  200  200"),
                // feedback comes from a workflow step with the worker's key; readers may not write it
                new Endpoint(
                        "POST",
                        () -> "/api/v1/calls/" + callId + "/feedback",
                        () -> verdict,
                        "401 201  201  201  403  403  403  403"),
                new Endpoint(
                        "POST",
                        () -> "/api/v1/feedback",
                        () -> Map.of(
                                "processInstanceKey", first.processInstanceKey(),
                                "elementId", "classify",
                                "scores", verdict.get("scores")),
                        "401 201  201  201  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/process-instances/" + first.processInstanceKey() + "/calls",
                        () -> null,
                        "401 200  200  200  200  403  403  403"),
                // catalog prices are the same for every project: readable by every key, changed by unscoped admins only
                new Endpoint(
                        "GET",
                        () -> "/api/v1/models/acme/" + model,
                        () -> null,
                        "401 200  200  200  200  200  200  200"),
                new Endpoint(
                        "PUT",
                        () -> "/api/v1/models/acme/" + model,
                        () -> Map.of("inputPerToken", "0.000001", "outputPerToken", "0.000002"),
                        "401 200  403  403  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/models/acme/" + model + "/versions",
                        () -> null,
                        "401 200  200  200  200  200  200  200"),
                new Endpoint(
                        "POST",
                        () -> "/api/v1/catalog/import?source=matrix",
                        () -> importTable,
                        "401 200  403  403  403  403  403  403"),
                new Endpoint(
                        "PUT",
                        () -> "/api/v1/budgets/" + budgetId,
                        () -> budgetJson,
                        "401 200  200  403  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/budgets/" + budgetId,
                        () -> null,
                        "401 200  200  200  200  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/budgets/" + budgetId + "/reconcile",
                        () -> null,
                        "401 200  200  200  200  403  403  403"),
                new Endpoint(
                        "PUT",
                        () -> "/api/v1/routing-policies/" + policyId,
                        () -> new RoutingPolicy(
                                policyId, p, "summarise", List.of(new RoutingPolicy.Target("acme", model, null))),
                        "401 200  200  403  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/routing-policies/" + policyId,
                        () -> null,
                        "401 200  200  200  200  403  403  403"),
                new Endpoint(
                        "POST",
                        () -> "/api/v1/api-keys",
                        () -> new ApiKeyRequest("new", ApiRole.VIEWER, List.of(p)),
                        "401 201  201  403  403  403  403  403"),
                new Endpoint(
                        "DELETE",
                        () -> "/api/v1/api-keys/" + keyId(ApiRole.WORKER, p),
                        () -> null,
                        "401 204  204  403  403  403  403  403"),
                new Endpoint(
                        "POST",
                        () -> "/api/v1/api-keys/" + keyId(ApiRole.WORKER, p) + "/rotate",
                        () -> null,
                        "401 201  201  403  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/audit/verify?project=" + p,
                        () -> null,
                        "401 200  200  403  200  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/audit/export?project=" + p + "&format=jsonl",
                        () -> null,
                        "401 200  200  403  200  403  403  403"),
                new Endpoint(
                        "PUT",
                        () -> "/api/v1/projects/" + p + "/redaction",
                        () -> new RedactionSettings(RedactionMode.REDACTED, List.of()),
                        "401 200  200  403  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/projects/" + p + "/redaction",
                        () -> null,
                        "401 200  200  403  200  403  403  403"),
                new Endpoint(
                        "PUT",
                        () -> "/api/v1/projects/" + p + "/workflows/ticket-triage/redaction",
                        () -> new RedactionSettings(RedactionMode.HASH_ONLY, List.of()),
                        "401 200  200  403  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/projects/" + p + "/workflows/ticket-triage/redaction",
                        () -> null,
                        "401 200  200  403  200  403  403  403"),
                new Endpoint(
                        "PUT",
                        () -> "/api/v1/projects/" + p + "/retention",
                        () -> new RetentionSettings(30),
                        "401 200  200  403  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/projects/" + p + "/retention",
                        () -> null,
                        "401 200  200  403  200  403  403  403"),
                // reports: every key may ask, and a key limited to projects sees only their figures (checked below)
                new Endpoint(
                        "GET",
                        () -> "/api/v1/spend?groupBy=project",
                        () -> null,
                        "401 200  200  200  200  200  200  200"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/budget-recommendations?period=DAY",
                        () -> null,
                        "401 200  200  200  200  200  200  200"),
                // provider circuits are not project data: any worker reports them, any key reads them
                new Endpoint(
                        "POST",
                        () -> "/api/v1/providers/health",
                        () -> Map.of(
                                "provider",
                                "acme",
                                "model",
                                model,
                                "state",
                                "CLOSED",
                                "reporter",
                                "matrix",
                                "observedAt",
                                CLOCK.instant().toString()),
                        "401 200  200  200  403  200  200  403"),
                new Endpoint(
                        "GET", () -> "/api/v1/providers/health", () -> null, "401 200  200  200  200  200  200  200"),
                new Endpoint(
                        "PUT",
                        () -> "/api/v1/alert-rules/" + alertRuleId,
                        () -> alertRuleJson,
                        "401 200  200  403  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/alert-rules/" + alertRuleId,
                        () -> null,
                        "401 200  200  200  200  403  403  403"),
                // lists: every key may ask, and sees only its projects' rules and alerts (checked below)
                new Endpoint("GET", () -> "/api/v1/alert-rules", () -> null, "401 200  200  200  200  200  200  200"),
                new Endpoint("GET", () -> "/api/v1/alerts", () -> null, "401 200  200  200  200  200  200  200"),
                // policy bundles: applied by admins, each object checked like its own PUT (q's admin may not touch p's
                // routing policy); the export is for readers, each key seeing its own projects
                new Endpoint(
                        "POST",
                        () -> "/api/v1/policy-bundles?dryRun=true",
                        () -> Map.of(
                                "routingPolicies",
                                List.of(new RoutingPolicy(
                                        policyId,
                                        p,
                                        "summarise",
                                        List.of(new RoutingPolicy.Target("acme", model, null))))),
                        "401 200  200  403  403  403  403  403"),
                new Endpoint(
                        "GET",
                        () -> "/api/v1/policy-bundles/current",
                        () -> null,
                        "401 200  200  403  200  200  403  200"),
                new Endpoint("GET", () -> "/api/v1/ping", () -> null, "401 200  200  200  200  200  200  200"));

        List<String> mismatches = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            String[] expected = endpoint.expected().trim().split("\\s+");
            int column = 0;
            for (Map.Entry<Caller, String> caller : keys.entrySet()) {
                String path = endpoint.path().get();
                int status = send(endpoint.method(), path, endpoint.body().get(), caller.getValue());
                if (status != Integer.parseInt(expected[column])) {
                    mismatches.add(endpoint.method() + " " + path + " as " + caller.getKey() + ": expected "
                            + expected[column] + ", got " + status);
                }
                column++;
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(endpoints).hasSize(47);

        // the figures themselves: project p's spend is visible to p's viewer, invisible to q's (the test clock stands
        // still, so the range must reach past the instant the call was recorded)
        CLOCK.advance(java.time.Duration.ofMinutes(1));
        String range = "&from=" + CLOCK.instant().minus(java.time.Duration.ofDays(1)) + "&to="
                + CLOCK.instant().plus(java.time.Duration.ofDays(1));
        assertThat(getBody("/api/v1/spend?groupBy=project" + range, keys.get(Caller.VIEWER_P)))
                .contains("\"" + p + "\"");
        String otherProjectsView = getBody("/api/v1/spend?groupBy=project" + range, keys.get(Caller.VIEWER_Q));
        assertThat(otherProjectsView).doesNotContain(p).contains("\"calls\":0");
        assertThat(getBody("/api/v1/budget-recommendations?period=DAY", keys.get(Caller.VIEWER_Q)))
                .isEqualTo("[]");
        assertThat(getBody("/api/v1/budget-recommendations?period=DAY", keys.get(Caller.VIEWER_P)))
                .contains(p);

        // p spent more than $0 today: its alert is listed to p's keys only, like the rule that fired it
        alerts.evaluateScheduledRules();
        assertThat(getBody("/api/v1/alerts?" + range.substring(1), keys.get(Caller.VIEWER_P)))
                .contains(alertRuleId);
        assertThat(getBody("/api/v1/alerts?" + range.substring(1), keys.get(Caller.VIEWER_Q)))
                .doesNotContain(p);
        assertThat(getBody("/api/v1/alert-rules", keys.get(Caller.VIEWER_P))).contains(alertRuleId);
        assertThat(getBody("/api/v1/alert-rules", keys.get(Caller.VIEWER_Q))).doesNotContain(alertRuleId);
    }

    private String getBody(String path, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri() + path))
                .header("Authorization", "Bearer " + key)
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private String key(ApiRole role, String project) {
        return admin.createApiKey(new ApiKeyRequest(role + "-" + project, role, List.of(project)))
                .key();
    }

    private String keyId(ApiRole role, String project) {
        return admin.createApiKey(new ApiKeyRequest("target-" + project, role, List.of(project)))
                .id()
                .toString();
    }

    private int send(String method, String path, Object body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri() + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            byte[] json = body instanceof String text ? text.getBytes() : PolicyClient.JSON.writeValueAsBytes(body);
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
