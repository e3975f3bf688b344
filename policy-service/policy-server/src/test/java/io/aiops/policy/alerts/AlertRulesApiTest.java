package io.aiops.policy.alerts;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.ALERT_RULES;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alert rules over the API: stored as normalised, audited, listed per project, and refused whole on bad input. */
class AlertRulesApiTest extends AlertTestSupport {

    @Test
    void aRuleIsStoredWithItsDefaultsAuditedAndListedOnlyWithinItsProject() throws Exception {
        String project = unique("rules");
        AlertRule stored = admin.putAlertRule(rule(
                project,
                AlertKind.ERROR_RATE_ABOVE,
                "thresholdPercent",
                "5.50",
                "window",
                "PT900S",
                "provider",
                "acme",
                "webhookUrl",
                "https://hooks.example.com/T000/B000/XXX"));

        assertThat(stored.window()).isEqualTo("PT15M");
        assertThat(stored.minAttempts()).isEqualTo(10);
        assertThat(stored.thresholdPercent()).isEqualTo(new BigDecimal("5.5"));
        assertThat(viewer.getAlertRule(stored.id())).isEqualTo(stored);
        assertThat(worker.getAlertRule(stored.id())).isEqualTo(stored);

        PolicyClient projectViewer = keyOf(ApiRole.VIEWER, project);
        PolicyClient otherViewer = keyOf(ApiRole.VIEWER, unique("other"));
        assertThat(projectViewer.alertRules()).extracting(AlertRule::id).containsExactly(stored.id());
        assertThat(otherViewer.alertRules()).extracting(AlertRule::id).doesNotContain(stored.id());
        assertThat(admin.alertRules()).extracting(AlertRule::id).contains(stored.id());

        var change = db.selectFrom(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.PROJECT.eq(project).and(AUDIT_ENTRIES.KIND.eq("POLICY_CHANGE")))
                .fetchSingle();
        JsonNode payload = PolicyClient.JSON.readTree(change.getPayload());
        assertThat(payload.path("subject").asText()).isEqualTo("alert-rule");
        assertThat(payload.path("id").asText()).isEqualTo(stored.id());
        assertThat(payload.path("before").isNull()).isTrue();
        assertThat(payload.path("after").path("window").asText()).isEqualTo("PT15M");
    }

    @Test
    void aProjectAdminCannotWatchAnotherProjectsBudget() {
        String mine = unique("mine");
        String theirs = unique("theirs");
        String theirBudget = budget(theirs, "10", BudgetDefinition.BudgetMode.HARD);
        PolicyClient projectAdmin = keyOf(ApiRole.ADMIN, mine);

        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class,
                () -> projectAdmin.putAlertRule(rule(mine, AlertKind.BUDGET_THRESHOLD, "budgetId", theirBudget)));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.field()).isEqualTo("budgetId");

        PolicyServiceException notTheProjects = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putAlertRule(rule(mine, AlertKind.BUDGET_THRESHOLD, "budgetId", theirBudget)));
        assertThat(notTheProjects.status()).isEqualTo(400);
        assertThat(notTheProjects.field()).isEqualTo("budgetId");
    }

    @Test
    void badRulesAreRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        int rulesBefore = db.fetchCount(ALERT_RULES);
        String id = unique("bad");
        String base = "\"id\":\"" + id + "\",\"project\":\"p\",";
        List<String[]> cases = List.of(
                new String[] {"{" + base + "\"kind\":\"SPEND_SPIKE\"}", "kind"},
                new String[] {"{\"id\":\"" + id + "\"}", "kind"},
                new String[] {"{" + base + "\"kind\":\"DAILY_SPEND_ABOVE\",\"thresholdUsd\":-1}", "thresholdUsd"},
                new String[] {"{" + base + "\"kind\":\"DAILY_SPEND_ABOVE\"}", "thresholdUsd"},
                new String[] {"{" + base + "\"kind\":\"DAILY_SPEND_ABOVE\",\"thresholdUsd\":\"12abc\"}", "thresholdUsd"
                },
                new String[] {"{" + base + "\"kind\":\"DAILY_SPEND_ABOVE\",\"threshold\":5}", "threshold"},
                new String[] {
                    "{" + base + "\"kind\":\"DAILY_SPEND_ABOVE\",\"thresholdUsd\":5,\"window\":\"PT1H\"}", "window"
                },
                new String[] {
                    "{" + base + "\"kind\":\"ERROR_RATE_ABOVE\",\"thresholdPercent\":5,\"window\":\"15 minutes\"}",
                    "window"
                },
                new String[] {
                    "{" + base + "\"kind\":\"ERROR_RATE_ABOVE\",\"thresholdPercent\":5,\"window\":\"PT10S\"}", "window"
                },
                new String[] {"{" + base + "\"kind\":\"ERROR_RATE_ABOVE\",\"thresholdPercent\":5}", "window"},
                new String[] {
                    "{" + base + "\"kind\":\"ERROR_RATE_ABOVE\",\"thresholdPercent\":-5,\"window\":\"PT15M\"}",
                    "thresholdPercent"
                },
                new String[] {
                    "{" + base + "\"kind\":\"ERROR_RATE_ABOVE\",\"thresholdPercent\":150,\"window\":\"PT15M\"}",
                    "thresholdPercent"
                },
                new String[] {
                    "{" + base + "\"kind\":\"ERROR_RATE_ABOVE\",\"thresholdPercent\":5,\"window\":\"PT15M\","
                            + "\"minAttempts\":0}",
                    "minAttempts"
                },
                new String[] {
                    "{" + base + "\"kind\":\"MODEL_SHARE_JUMP\",\"thresholdPercent\":20,\"minAttempts\":5}",
                    "minAttempts"
                },
                new String[] {"{" + base + "\"kind\":\"AUDIT_CHAIN_BROKEN\",\"budgetId\":\"b\"}", "budgetId"},
                new String[] {"{" + base + "\"kind\":\"BUDGET_THRESHOLD\",\"budgetId\":\"no-such-budget\"}", "budgetId"
                },
                new String[] {
                    "{" + base + "\"kind\":\"NEW_MODEL_FOR_WORKFLOW\",\"webhookUrl\":\"ftp://example.com/x\"}",
                    "webhookUrl"
                },
                new String[] {
                    "{" + base + "\"kind\":\"NEW_MODEL_FOR_WORKFLOW\",\"webhookUrl\":\"not a url\"}", "webhookUrl"
                },
                // server-side request forgery: internal targets and odd spellings of them (the tests allow-list only
                // localhost and 127.0.0.0/8, so a loopback target is covered by OutboundPolicyTest)
                new String[] {
                    "{" + base + "\"kind\":\"NEW_MODEL_FOR_WORKFLOW\",\"webhookUrl\":"
                            + "\"https://169.254.169.254/latest/meta-data/\"}",
                    "webhookUrl"
                },
                new String[] {
                    "{" + base + "\"kind\":\"NEW_MODEL_FOR_WORKFLOW\",\"webhookUrl\":\"http://10.0.0.5/x\"}",
                    "webhookUrl"
                },
                new String[] {
                    "{" + base + "\"kind\":\"NEW_MODEL_FOR_WORKFLOW\",\"webhookUrl\":\"https://[::ffff:a00:5]/\"}",
                    "webhookUrl"
                },
                new String[] {
                    "{" + base + "\"kind\":\"NEW_MODEL_FOR_WORKFLOW\",\"webhookUrl\":\"https://0xa000005/\"}",
                    "webhookUrl"
                },
                new String[] {"{\"id\":\"other-id\",\"kind\":\"AUDIT_CHAIN_BROKEN\"}", "id"});
        for (String[] c : cases) {
            HttpResponse<String> response = put("/api/v1/alert-rules/" + id, c[0]);
            assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
            JsonNode problem = PolicyClient.JSON.readTree(response.body());
            assertThat(problem.path("field").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(response.headers().firstValue("Content-Type"))
                    .get()
                    .asString()
                    .contains("problem+json");
        }
        assertThat(db.fetchCount(ALERT_RULES)).isEqualTo(rulesBefore);
        PolicyServiceException missing =
                catchThrowableOfType(PolicyServiceException.class, () -> admin.getAlertRule(id));
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void badAlertListingsAreRefusedNamingTheParameter() {
        PolicyServiceException state =
                catchThrowableOfType(PolicyServiceException.class, () -> get("/api/v1/alerts?state=SENT"));
        assertThat(state.status()).isEqualTo(400);
        assertThat(state.field()).isEqualTo("state");
        PolicyServiceException from =
                catchThrowableOfType(PolicyServiceException.class, () -> get("/api/v1/alerts?from=yesterday"));
        assertThat(from.field()).isEqualTo("from");
        PolicyServiceException order = catchThrowableOfType(
                PolicyServiceException.class, () -> viewer.alerts("2026-11-20", "2026-11-10", null));
        assertThat(order.field()).isEqualTo("from");
    }

    private PolicyClient keyOf(ApiRole role, String project) {
        return new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest(role + "-" + project, role, List.of(project)))
                        .key());
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return sendAsAdmin("PUT", path, body);
    }

    /** A GET whose error answer is thrown as the client would throw it. */
    private Object get(String path) throws Exception {
        HttpResponse<String> response = sendAsAdmin("GET", path, null);
        if (response.statusCode() != 200) {
            JsonNode problem = PolicyClient.JSON.readTree(response.body());
            throw new PolicyServiceException(
                    response.statusCode(),
                    problem.path("type").asText(),
                    problem.path("detail").asText(),
                    problem.path("field").asText(null),
                    null);
        }
        return response.body();
    }
}
