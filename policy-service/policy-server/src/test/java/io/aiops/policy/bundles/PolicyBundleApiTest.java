package io.aiops.policy.bundles;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.JudgeSettings;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyBundle;
import io.aiops.policy.api.PolicyBundleDiff;
import io.aiops.policy.api.PolicyBundleDiff.Action;
import io.aiops.policy.api.PolicyBundleDiff.ObjectDiff;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.PromptDefinition;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.RetentionSettings;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Policy bundles on the shared server: refusals, atomicity, the audit change set, project keys and pruning. */
class PolicyBundleApiTest extends PolicyServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aBundleWithOneBadFieldIsRefusedWholeNamingTheFieldByItsPathInTheBundle() throws Exception {
        String project = unique("bad-field");
        String first = unique("budget");
        String second = unique("budget");
        String third = unique("budget");
        String bundle = """
                budgets:
                  - {id: %s, scope: {project: %s}, period: DAY, limitUsd: 10, mode: HARD}
                  - {id: %s, scope: {project: %s, bpmnProcessId: a}, period: DAY, limitUsd: 20, mode: SOFT}
                  - {id: %s, scope: {project: %s, bpmnProcessId: b}, period: DAY, limitUsd: %s, mode: HARD}
                """;

        // a rule of the budget's own body (Bean Validation), and one its use case checks after the first two budgets
        // were already written in the bundle's transaction
        for (String limit : List.of("-5", "10.1234567890123")) {
            HttpResponse<String> refused = post(
                    bundle.formatted(first, project, second, project, third, project, limit),
                    "application/yaml",
                    "dryRun=false",
                    ADMIN_KEY);

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            JsonNode problem = PolicyClient.JSON.readTree(refused.body());
            assertThat(problem.path("type").asText()).isEqualTo("https://aiops.io/problems/validation");
            assertThat(problem.path("field").asText()).isEqualTo("budgets[2].limitUsd");
            for (String id : List.of(first, second, third)) {
                assertThat(status("GET", "/api/v1/budgets/" + id)).as(id).isEqualTo(404);
            }
        }
    }

    @Test
    void unknownKeysAreRefusedNamingTheKeyAndTheKnownOnes() throws Exception {
        HttpResponse<String> topLevel = post("{\"budget\": []}", "application/json", "dryRun=true", ADMIN_KEY);
        HttpResponse<String> nested = post(
                "budgets:\n  - {id: x, period: DAY, limitUSD: 1, mode: HARD}\n", "application/yaml", "", ADMIN_KEY);

        assertThat(topLevel.statusCode()).isEqualTo(400);
        JsonNode problem = PolicyClient.JSON.readTree(topLevel.body());
        assertThat(problem.path("field").asText()).isEqualTo("budget");
        assertThat(problem.path("detail").asText())
                .contains("known fields are [alertRules, budgets, prices, projects, prompts, routingPolicies]");
        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(PolicyClient.JSON.readTree(nested.body()).path("field").asText())
                .isEqualTo("budgets[0].limitUSD");
    }

    @Test
    void aBodyThatIsNotYamlIsAMalformedRequest() throws Exception {
        HttpResponse<String> response = post("budgets: [\n  - {id: x", "application/yaml", "dryRun=true", ADMIN_KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(PolicyClient.JSON.readTree(response.body()).path("type").asText())
                .isEqualTo("https://aiops.io/problems/malformed-request");
    }

    @Test
    void aFailureMidApplyLeavesNothingOfTheBundleWritten() throws Exception {
        String project = unique("mid-apply");
        String model = unique("model");
        String route = unique("route");
        String budget = unique("budget");
        String rule = unique("rule");
        String bundle = """
                prices:
                  - {provider: acme, model: %s, inputPerToken: 0.000001, outputPerToken: 0.000002}
                routingPolicies:
                  - {id: %s, project: %s, candidates: [{provider: acme, model: %s}]}
                budgets:
                  - {id: %s, scope: {project: %s}, period: DAY, limitUsd: 10, mode: HARD}
                alertRules:
                  - {id: %s, project: %s, kind: BUDGET_THRESHOLD, budgetId: no-such-budget}
                """.formatted(model, route, project, model, budget, project, rule, project);

        HttpResponse<String> refused = post(bundle, "application/yaml", "dryRun=false", ADMIN_KEY);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode problem = PolicyClient.JSON.readTree(refused.body());
        assertThat(problem.path("field").asText()).isEqualTo("alertRules[0].budgetId");
        assertThat(problem.path("detail").asText()).startsWith("alertRules[0] (alert-rule " + rule + "): ");
        // the price, routing policy and budget put before the rule was refused are gone with it
        assertThat(status("GET", "/api/v1/models/acme/" + model)).isEqualTo(404);
        assertThat(status("GET", "/api/v1/routing-policies/" + route)).isEqualTo(404);
        assertThat(status("GET", "/api/v1/budgets/" + budget)).isEqualTo(404);
        assertThat(status("GET", "/api/v1/alert-rules/" + rule)).isEqualTo(404);
        assertThat(db.fetchCount(AUDIT_ENTRIES, AUDIT_ENTRIES.PAYLOAD.contains(model)))
                .isZero();
    }

    @Test
    void anAppliedBundleIsOneChangeSetInTheAuditChainOfEachProjectItTouched() {
        String project = unique("change-set");
        String model = unique("model");
        String budget = unique("budget");
        PolicyBundle bundle = new PolicyBundle(
                List.of(acmePrice(model, "0.000001", "0.000002")),
                List.of(),
                List.of(dailyBudget(budget, project, "25")),
                List.of(),
                List.of(new PolicyBundle.ProjectSettings(
                        project, new RedactionSettings(RedactionMode.REDACTED, List.of()), null, null, null, null)),
                List.of());

        PolicyBundleDiff applied = admin.applyPolicyBundle(bundle, false, false);

        assertThat(applied.created()).isEqualTo(3);
        assertThat(applied.changeSet()).isNotNull();
        var entries = db.select(AUDIT_ENTRIES.PROJECT, AUDIT_ENTRIES.PAYLOAD)
                .from(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.PAYLOAD.contains(applied.changeSet().toString()))
                .fetch();
        // each object's own entry, in its own chain, names the change set; one bundle entry per chain lists its objects
        assertThat(entries.map(r -> r.value1() + " " + subject(r.value2())))
                .containsExactlyInAnyOrder(
                        "_organisation model-price",
                        "_organisation policy-bundle",
                        project + " budget",
                        project + " redaction",
                        project + " policy-bundle");
        assertThat(admin.verifyAudit(project).intact()).isTrue();

        PolicyBundleDiff again = admin.applyPolicyBundle(bundle, false, false);

        assertThat(again.unchanged()).isEqualTo(3);
        assertThat(again.changeSet()).isNull();
    }

    @Test
    void aChangedObjectNamesTheFieldsThatDiffer() {
        String project = unique("changed");
        String budget = unique("budget");
        admin.applyPolicyBundle(budgetsOnly(dailyBudget(budget, project, "25")), false, false);

        PolicyBundleDiff raised = admin.applyPolicyBundle(
                budgetsOnly(new BudgetDefinition(
                        budget,
                        new BudgetDefinition.BudgetScope(project, null),
                        BudgetDefinition.BudgetPeriod.DAY,
                        new BigDecimal("40"),
                        BudgetDefinition.BudgetMode.HARD,
                        null,
                        List.of(80))),
                false,
                false);

        assertThat(raised.objects())
                .containsExactly(
                        new ObjectDiff("budget", budget, Action.CHANGED, List.of("limitUsd", "alertThresholds"), null));
        assertThat(admin.getBudget(budget).budget().limitUsd()).isEqualByComparingTo("40");
    }

    @Test
    void aProjectKeyExportsOnlyItsProjectAndAppliesTheExportBackUnchanged() {
        String project = unique("own");
        String other = unique("other");
        String model = "bundle-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
        String budget = budget(project, "30", BudgetDefinition.BudgetMode.HARD);
        String otherBudget = budget(other, "30", BudgetDefinition.BudgetMode.HARD);
        admin.putRedaction(project, new RedactionSettings(RedactionMode.HASH_ONLY, List.of("ORDER-\\d+")));
        admin.putWorkflowRedaction(project, "ticket-triage", new RedactionSettings(RedactionMode.FULL, List.of()));
        admin.putRetention(project, new RetentionSettings(30));
        admin.putJudge(
                project,
                "ticket-triage",
                new JudgeSettings(new BigDecimal("0.25"), "acme", model, null, "Short and polite.", null, null));
        String prompt = unique("prompt");
        admin.putPrompt(prompt, new PromptDefinition(project, "Be brief.", "Answer {{question}}", List.of("live")));
        String rule = unique("rule");
        admin.putAlertRule(budgetAlert(rule, project, budget));
        PolicyClient projectAdmin = new PolicyClient(baseUri(), key(ApiRole.ADMIN, project));

        PolicyBundle exported = projectAdmin.currentPolicyBundle();

        assertThat(exported.budgets()).extracting(BudgetDefinition::id).containsExactly(budget);
        assertThat(exported.projects())
                .extracting(PolicyBundle.ProjectSettings::project)
                .containsExactly(project);
        assertThat(exported.projects().getFirst().workflows()).singleElement().satisfies(w -> {
            assertThat(w.redaction().mode()).isEqualTo(RedactionMode.FULL);
            assertThat(w.judge().criteria()).isEqualTo("Short and polite.");
        });
        assertThat(exported.prompts()).extracting(PromptDefinition::name).containsExactly(prompt);
        assertThat(exported.alertRules()).extracting(AlertRule::id).containsExactly(rule);
        // catalog prices are every key's to read, and say the same when read back: nothing asks to change them
        assertThat(exported.prices()).anyMatch(p -> p.model().equals(model));

        PolicyBundleDiff back = projectAdmin.applyPolicyBundle(exported, true, false);

        assertThat(back.objects()).allSatisfy(o -> assertThat(o.action()).isEqualTo(Action.UNCHANGED));
        assertThat(back.objects())
                .extracting(ObjectDiff::kind)
                .contains(
                        "routing-policy",
                        "budget",
                        "alert-rule",
                        "redaction",
                        "workflow-redaction",
                        "retention",
                        "workflow-judge",
                        "prompt");

        // another project's budget, or a price (organisation-wide), is refused whole, naming where in the bundle
        PolicyServiceException foreign = catchThrowableOfType(
                PolicyServiceException.class,
                () -> projectAdmin.applyPolicyBundle(budgetsOnly(dailyBudget(otherBudget, other, "31")), true, false));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.field()).isEqualTo("budgets[0].scope.project");
        PolicyServiceException price = catchThrowableOfType(
                PolicyServiceException.class,
                () -> projectAdmin.applyPolicyBundle(
                        new PolicyBundle(
                                List.of(acmePrice(model, "0.000009", "0.000002")), null, null, null, null, null),
                        true,
                        false));
        assertThat(price.status()).isEqualTo(403);
        assertThat(price.field()).isEqualTo("prices[0]");
    }

    @Test
    void pruneRetiresAlertRulesTheBundleLeavesOutAndKeepsWhatCannotBeRemoved() throws Exception {
        String project = unique("prune");
        String budget = budget(project, "30", BudgetDefinition.BudgetMode.HARD);
        String kept = unique("rule");
        String dropped = unique("rule");
        for (String rule : List.of(kept, dropped)) {
            admin.putAlertRule(budgetAlert(rule, project, budget));
        }
        PolicyClient projectAdmin = new PolicyClient(baseUri(), key(ApiRole.ADMIN, project));
        PolicyBundle onlyOneRule = new PolicyBundle(null, null, null, List.of(admin.getAlertRule(kept)), null, null);

        PolicyBundleDiff dryRun = projectAdmin.applyPolicyBundle(onlyOneRule, true, true);
        PolicyBundleDiff pruned = projectAdmin.applyPolicyBundle(onlyOneRule, false, true);

        for (PolicyBundleDiff diff : List.of(dryRun, pruned)) {
            assertThat(action(diff, "alert-rule", kept)).isEqualTo(Action.UNCHANGED);
            assertThat(action(diff, "alert-rule", dropped)).isEqualTo(Action.REMOVED);
            assertThat(action(diff, "budget", budget)).isEqualTo(Action.KEPT);
            assertThat(diff.removed()).isEqualTo(1);
        }
        assertThat(find(pruned, "budget", budget).orElseThrow().note()).contains("budgets stay");
        assertThat(status("GET", "/api/v1/alert-rules/" + dropped)).isEqualTo(404);
        assertThat(admin.getAlertRule(kept).id()).isEqualTo(kept);
        assertThat(admin.getBudget(budget).budget().id()).isEqualTo(budget);
        // a key of one project prunes in its project only: nobody else's rules are even listed
        assertThat(pruned.objects())
                .noneMatch(o -> o.kind().equals("alert-rule") && !o.id().equals(kept) && !o.id().equals(dropped));
    }

    private static AlertRule budgetAlert(String id, String project, String budgetId) {
        return new AlertRule(
                id,
                project,
                AlertRule.AlertKind.BUDGET_THRESHOLD,
                budgetId,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static ModelPrice acmePrice(String model, String inputPerToken, String outputPerToken) {
        return new ModelPrice(
                "acme", model, new BigDecimal(inputPerToken), new BigDecimal(outputPerToken), null, null, null, null);
    }

    private static PolicyBundle budgetsOnly(BudgetDefinition budget) {
        return new PolicyBundle(null, null, List.of(budget), null, null, null);
    }

    private static BudgetDefinition dailyBudget(String id, String project, String limitUsd) {
        return new BudgetDefinition(
                id,
                new BudgetDefinition.BudgetScope(project, null),
                BudgetDefinition.BudgetPeriod.DAY,
                new BigDecimal(limitUsd),
                BudgetDefinition.BudgetMode.HARD);
    }

    private static Action action(PolicyBundleDiff diff, String kind, String id) {
        return find(diff, kind, id).map(ObjectDiff::action).orElse(null);
    }

    private static Optional<ObjectDiff> find(PolicyBundleDiff diff, String kind, String id) {
        return diff.objects().stream()
                .filter(o -> o.kind().equals(kind) && o.id().equals(id))
                .findFirst();
    }

    private static String subject(Object payload) {
        try {
            return PolicyClient.JSON
                    .readTree(payload.toString())
                    .path("subject")
                    .asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String key(ApiRole role, String project) {
        return admin.createApiKey(new ApiKeyRequest(role + "-" + project, role, List.of(project)))
                .key();
    }

    private HttpResponse<String> post(String body, String contentType, String query, String key) throws Exception {
        return http.send(
                HttpRequest.newBuilder(baseUri().resolve("/api/v1/policy-bundles?" + query))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int status(String method, String path) throws Exception {
        return sendAsAdmin(method, path, null).statusCode();
    }
}
