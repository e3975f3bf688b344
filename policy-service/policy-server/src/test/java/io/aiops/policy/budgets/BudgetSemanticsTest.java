package io.aiops.policy.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Budget scopes (workflow, process definition, model, combinations), time zones, thresholds and bad input. */
class BudgetSemanticsTest extends PolicyServerTest {

    @Test
    void dayWindowFollowsTheBudgetsTimeZone() {
        String project = unique("tz");
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        BudgetStatus status = admin.putBudget(new BudgetDefinition(
                unique("b"),
                new BudgetScope(project, null),
                BudgetPeriod.DAY,
                new BigDecimal("5"),
                BudgetMode.HARD,
                "Asia/Tokyo",
                List.of(50, 80, 100)));

        var localDay = CLOCK.instant().atZone(tokyo).toLocalDate();
        assertThat(status.windowStart()).isEqualTo(localDay.atStartOfDay(tokyo).toInstant());
        assertThat(status.windowEnd())
                .isEqualTo(localDay.plusDays(1).atStartOfDay(tokyo).toInstant());
        assertThat(status.budget().timeZone()).isEqualTo("Asia/Tokyo");
        assertThat(status.budget().alertThresholds()).containsExactly(50, 80, 100);
        assertThat(admin.getBudget(status.budget().id()).budget().timeZone()).isEqualTo("Asia/Tokyo");
    }

    @Test
    void projectTimesWorkflowBudgetCoversOnlyThatWorkflowOfThatProject() {
        String project = unique("pw");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        // 0.002 per call: room for one call of the capped workflow
        admin.putBudget(new BudgetDefinition(
                unique("b"),
                new BudgetScope(project, "ticket-triage"),
                BudgetPeriod.DAY,
                new BigDecimal("0.003"),
                BudgetMode.HARD));

        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .isTrue();
        assertThat(worker.decide(request(project, "classify", 1000, 500)).reason())
                .isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(worker.decide(inWorkflow(request(project, "classify", 1000, 500), "invoice-check", 42L))
                        .allowed())
                .isTrue();
    }

    @Test
    void processDefinitionVersionBudgetCoversOnlyThatVersion() {
        String project = unique("pd");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        admin.putBudget(new BudgetDefinition(
                unique("b"),
                new BudgetScope(project, null, 42L, null, null),
                BudgetPeriod.DAY,
                new BigDecimal("0.001"),
                BudgetMode.HARD));

        // request() uses process definition 42
        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .isFalse();
        assertThat(worker.decide(inWorkflow(request(project, "classify", 1000, 500), "ticket-triage", 43L))
                        .allowed())
                .isTrue();
    }

    @Test
    void modelBudgetDropsItsModelFromTheCandidatesAndDeniesWhenNoneIsLeft() {
        String project = unique("mb");
        admin.putModel(new ModelPrice(
                "acme",
                "dear-" + project,
                new BigDecimal("0.00001"),
                new BigDecimal("0.00002"),
                null,
                null,
                null,
                null));
        admin.putModel(new ModelPrice(
                "acme",
                "cheap-" + project,
                new BigDecimal("0.000001"),
                new BigDecimal("0.000002"),
                null,
                null,
                null,
                null));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"),
                project,
                null,
                List.of(
                        new RoutingPolicy.Target("acme", "dear-" + project, null),
                        new RoutingPolicy.Target("acme", "cheap-" + project, null))));
        // dear costs up to 0.02 per call (1000 in, 500 out), cheap 0.002; the dear model may take one call
        String dearBudget = unique("dear");
        admin.putBudget(new BudgetDefinition(
                dearBudget,
                new BudgetScope(project, null, null, "acme", "dear-" + project),
                BudgetPeriod.DAY,
                new BigDecimal("0.03"),
                BudgetMode.HARD));
        String cheapBudget = unique("cheap");
        admin.putBudget(new BudgetDefinition(
                cheapBudget,
                new BudgetScope(null, null, null, null, "cheap-" + project),
                BudgetPeriod.DAY,
                new BigDecimal("0.005"),
                BudgetMode.HARD));
        String projectBudget = budget(project, "1", BudgetMode.HARD);

        Decision first = worker.decide(request(project, "classify", 1000, 500));
        assertThat(first.candidates())
                .extracting(Decision.Candidate::model)
                .containsExactly("dear-" + project, "cheap-" + project);
        assertThat(first.reservation().amountUsd()).isEqualByComparingTo("0.02");

        Decision second = worker.decide(request(project, "classify", 1000, 500));
        assertThat(second.allowed()).isTrue();
        assertThat(second.candidates()).extracting(Decision.Candidate::model).containsExactly("cheap-" + project);
        assertThat(second.reservation().amountUsd()).isEqualByComparingTo("0.002");
        // the narrowed chain is what a redelivered job gets back too
        assertThat(worker.decide(sameKey(second)).candidates()).hasSize(1);
        assertThat(admin.getBudget(dearBudget).reservedUsd()).isEqualByComparingTo("0.02");
        assertThat(admin.getBudget(cheapBudget).reservedUsd()).isEqualByComparingTo("0.004");
        assertThat(admin.getBudget(projectBudget).reservedUsd()).isEqualByComparingTo("0.022");

        Decision third = worker.decide(request(project, "classify", 1000, 500));
        assertThat(third.allowed()).isFalse();
        assertThat(third.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(third.reasonMessage()).contains(cheapBudget).contains(dearBudget);
        assertThat(admin.getBudget(projectBudget).reservedUsd()).isEqualByComparingTo("0.022");

        // the first call failed over from dear to cheap: each model budget counts its own model's attempt only
        worker.reportOutcome(
                first.decisionId(),
                new CallOutcome(
                        List.of(
                                new CallOutcome.Attempt(
                                        "acme",
                                        "dear-" + project,
                                        100L,
                                        0L,
                                        0L,
                                        0L,
                                        0L,
                                        5L,
                                        CallStatus.FAILED,
                                        "TIMEOUT"),
                                new CallOutcome.Attempt(
                                        "acme",
                                        "cheap-" + project,
                                        1000L,
                                        0L,
                                        0L,
                                        500L,
                                        0L,
                                        5L,
                                        CallStatus.SUCCEEDED,
                                        null)),
                        Map.of(),
                        null,
                        "ok"));
        assertThat(admin.getBudget(dearBudget).spentUsd()).isEqualByComparingTo("0.001");
        assertThat(admin.getBudget(dearBudget).reservedUsd()).isEqualByComparingTo("0");
        assertThat(admin.getBudget(cheapBudget).spentUsd()).isEqualByComparingTo("0.002");
        assertThat(admin.getBudget(cheapBudget).reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(admin.getBudget(projectBudget).spentUsd()).isEqualByComparingTo("0.003");
    }

    @Test
    void thresholdsReachedFollowTheSpentMoney() {
        String project = unique("th");
        String model = "m-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
        String id = unique("b");
        admin.putBudget(new BudgetDefinition(
                id,
                new BudgetScope(project, null),
                BudgetPeriod.MONTH,
                new BigDecimal("0.004"),
                BudgetMode.SOFT,
                null,
                List.of(25, 50, 80, 100)));
        Decision d = worker.decide(request(project, "classify", 1000, 500));
        assertThat(admin.getBudget(id).thresholdsReached()).isEmpty();

        worker.reportOutcome(
                d.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", model, 1000L, 0L, 0L, 500L, 0L, 5L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        null,
                        "ok"));
        // 0.002 of 0.004 spent: exactly 50 %
        assertThat(admin.getBudget(id).thresholdsReached()).containsExactly(25, 50);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      negative limit         | {"period":"DAY","mode":"HARD","limitUsd":-1}                                | 400 | limitUsd
      zero limit             | {"period":"DAY","mode":"HARD","limitUsd":0}                                 | 400 | limitUsd
      limit with letters     | {"period":"DAY","mode":"HARD","limitUsd":"12abc"}                           | 400 | limitUsd
      limit too precise      | {"period":"DAY","mode":"HARD","limitUsd":0.0000000000001}                   | 400 | limitUsd
      period that is no period | {"period":"FORTNIGHT","mode":"HARD","limitUsd":1}                         | 400 | period
      missing period         | {"mode":"HARD","limitUsd":1}                                                | 400 | period
      unknown mode           | {"period":"DAY","mode":"STRICT","limitUsd":1}                               | 400 | mode
      unknown scope key      | {"period":"DAY","mode":"HARD","limitUsd":1,"scope":{"team":"a"}}            | 400 | scope.team
      misspelt scope key     | {"period":"DAY","mode":"HARD","limitUsd":1,"scope":{"projekt":"a"}}         | 400 | scope.projekt
      unknown top-level key  | {"period":"DAY","mode":"HARD","limitUsd":1,"hardness":"very"}               | 400 | hardness
      scope not an object    | {"period":"DAY","mode":"HARD","limitUsd":1,"scope":"a"}                     | 400 | scope
      provider without model | {"period":"DAY","mode":"HARD","limitUsd":1,"scope":{"provider":"acme"}}     | 400 | scope.provider
      bad definition key     | {"period":"DAY","mode":"HARD","limitUsd":1,"scope":{"processDefinitionKey":-4}} | 400 | scope.processDefinitionKey
      unknown time zone      | {"period":"DAY","mode":"HARD","limitUsd":1,"timeZone":"Mars/Olympus"}       | 400 | timeZone
      threshold above range  | {"period":"DAY","mode":"HARD","limitUsd":1,"alertThresholds":[50,2000]}     | 400 | alertThresholds[1]
      thresholds descending  | {"period":"DAY","mode":"HARD","limitUsd":1,"alertThresholds":[80,50]}       | 400 | alertThresholds[1]
      threshold with letters | {"period":"DAY","mode":"HARD","limitUsd":1,"alertThresholds":["fifty"]}     | 400 | alertThresholds[0]
      """)
    void badDefinitionsAreRefusedNamingTheFieldAndNothingIsStored(String name, String body, int status, String field)
            throws Exception {
        int before = db.fetchCount(db.selectFrom("budgets"));
        String id = unique("bad");
        HttpResponse<String> response = put("/api/v1/budgets/" + id, body);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(PolicyClient.JSON.readTree(response.body()).path("field").asText())
                .isEqualTo(field);
        assertThat(db.fetchCount(db.selectFrom("budgets"))).isEqualTo(before);
        assertThat(db.fetchExists(db.selectFrom("budgets").where("id = ?", id))).isFalse();
    }

    @Test
    void aSecondBudgetForTheSameScopePeriodAndModeIsRefusedAsAContradiction() throws Exception {
        String project = unique("dup");
        String first = budget(project, "10", BudgetMode.HARD);
        int before = db.fetchCount(db.selectFrom("budgets"));

        HttpResponse<String> contradicting = put(
                "/api/v1/budgets/" + unique("b"),
                "{\"scope\":{\"project\":\"" + project + "\"},\"period\":\"DAY\",\"mode\":\"HARD\",\"limitUsd\":20}");

        assertThat(contradicting.statusCode()).isEqualTo(409);
        var problem = PolicyClient.JSON.readTree(contradicting.body());
        assertThat(problem.path("field").asText()).isEqualTo("scope");
        assertThat(problem.path("detail").asText()).contains(first).contains("limit 10 USD instead of 20 USD");
        assertThat(db.fetchCount(db.selectFrom("budgets"))).isEqualTo(before);

        // a SOFT warning below the HARD cap of the same scope is a different budget, and the first one can change
        assertThat(put(
                                "/api/v1/budgets/" + unique("soft"),
                                "{\"scope\":{\"project\":\"" + project
                                        + "\"},\"period\":\"DAY\",\"mode\":\"SOFT\",\"limitUsd\":8}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(admin.putBudget(new BudgetDefinition(
                                first,
                                new BudgetScope(project, null),
                                BudgetPeriod.DAY,
                                new BigDecimal("12"),
                                BudgetMode.HARD))
                        .budget()
                        .limitUsd())
                .isEqualByComparingTo("12");
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return sendAsAdmin("PUT", path, body);
    }

    private static DecisionRequest inWorkflow(DecisionRequest r, String bpmnProcessId, Long processDefinitionKey) {
        return new DecisionRequest(
                r.idempotencyKey(),
                r.project(),
                bpmnProcessId,
                processDefinitionKey,
                r.processInstanceKey(),
                r.elementId(),
                r.elementInstanceKey(),
                r.jobKey(),
                r.taskKind(),
                r.modelHint(),
                r.estimatedInputTokens(),
                r.maxOutputTokens(),
                r.tags());
    }

    private DecisionRequest sameKey(Decision decision) {
        var row = db.fetchOne(
                "select idempotency_key, project, bpmn_process_id, process_instance_key,"
                        + " element_instance_key, task_kind from decisions where id = ?",
                decision.decisionId());
        // a redelivered job asks again for the same call under the same key; sizes, hints and tags do not matter
        return new DecisionRequest(
                row.get(0, String.class),
                row.get(1, String.class),
                row.get(2, String.class),
                null,
                row.get(3, Long.class),
                "e",
                row.get(4, Long.class),
                null,
                row.get(5, String.class),
                null,
                1,
                1,
                Map.of());
    }
}
