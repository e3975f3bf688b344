package io.aiops.policy.alerts;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.ALERTS;
import static io.aiops.policy.api.CallStatus.FAILED;
import static io.aiops.policy.api.CallStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.adapter.in.schedule.AuditChainHealth;
import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.application.port.in.EvaluateAlertsUseCase;
import io.aiops.policy.application.port.out.AlertRuleStore;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertStore;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.service.AlertEvaluationService;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Each rule kind fires exactly once for its condition, never below it, and never twice for one period. */
class AlertFiringTest extends AlertTestSupport {

    @Autowired
    EvaluateAlertsUseCase evaluator;

    @Autowired
    AuditChainHealth chainHealth;

    @Autowired
    AlertRuleStore ruleStore;

    @Autowired
    AlertStore alertStore;

    @Autowired
    AlertSignals signals;

    @Autowired
    BudgetStore budgetStore;

    private String project;
    private String model;

    private void projectRoutedToOneModel() {
        project = unique("alerts");
        model = model("alerting-" + project);
        routeProjectTo(project, model, "0.001", "0.000001");
    }

    @Test
    void budgetThresholdsFireOncePerThresholdAsOutcomesSettle() {
        projectRoutedToOneModel();
        String budgetId = unique("budget");
        admin.putBudget(new BudgetDefinition(
                budgetId,
                new BudgetScope(project, null),
                BudgetPeriod.DAY,
                new BigDecimal("1.00"),
                BudgetMode.HARD,
                null,
                List.of(50, 80, 100)));
        AlertRule rule = admin.putAlertRule(rule(project, AlertKind.BUDGET_THRESHOLD, "budgetId", budgetId));

        call(project, model, 400, SUCCEEDED); // $0.40: below 50 %
        assertThat(alertsOf(rule.id())).isEmpty();

        call(project, model, 150, SUCCEEDED); // $0.55: crosses 50 %
        call(project, model, 100, SUCCEEDED); // $0.65: still between 50 and 80
        assertThat(alertsOf(rule.id()))
                .extracting(a -> a.details().get("threshold"))
                .containsExactly("50");

        call(project, model, 360, SUCCEEDED); // $1.01: crosses 80 and 100 in one posting
        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).extracting(a -> a.details().get("threshold")).containsExactlyInAnyOrder("50", "80", "100");
        FiredAlert eighty = fired.stream()
                .filter(a -> a.details().get("threshold").equals("80"))
                .findFirst()
                .orElseThrow();
        assertThat(eighty.project()).isEqualTo(project);
        assertThat(eighty.subject()).isEqualTo("budget:" + budgetId);
        assertThat(eighty.details()).containsEntry("spentUsd", "1.01").containsEntry("limitUsd", "1");
        assertThat(eighty.message()).contains(budgetId, "80 %");
        assertThat(eighty.deliveryState()).isEqualTo(FiredAlert.DeliveryState.NONE);
    }

    @Test
    void softBudgetAlertsWhenExceededEvenWithoutThresholds() {
        projectRoutedToOneModel();
        String budgetId = unique("soft");
        admin.putBudget(new BudgetDefinition(
                budgetId, new BudgetScope(project, null), BudgetPeriod.DAY, new BigDecimal("0.50"), BudgetMode.SOFT));
        // a rule over every budget of the project, not naming this one
        AlertRule rule = admin.putAlertRule(rule(project, AlertKind.BUDGET_THRESHOLD));

        call(project, model, 500, SUCCEEDED); // exactly the limit: 100 % reached
        call(project, model, 200, SUCCEEDED); // over the limit: the SOFT budget let it through
        call(project, model, 200, SUCCEEDED);

        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).hasSize(1);
        assertThat(fired.getFirst().details()).containsEntry("threshold", "100").containsEntry("mode", "SOFT");
        assertThat(fired.getFirst().message()).contains("SOFT budget " + budgetId + " reached its limit");
    }

    @Test
    void aDeletedRuleStopsFiringKeepsWhatItFiredAndAPutOfItsIdStartsItAgain() throws Exception {
        projectRoutedToOneModel();
        AlertRule kept = admin.putAlertRule(rule(project, AlertKind.DAILY_SPEND_ABOVE, "thresholdUsd", "0.10"));
        AlertRule deleted = admin.putAlertRule(rule(project, AlertKind.DAILY_SPEND_ABOVE, "thresholdUsd", "0.10"));
        call(project, model, 200, SUCCEEDED); // $0.20

        admin.deleteAlertRule(deleted.id());
        evaluateAMinuteLater();

        assertThat(alertsOf(kept.id())).hasSize(1);
        assertThat(alertsOf(deleted.id())).isEmpty();
        assertThat(admin.alertRules())
                .extracting(AlertRule::id)
                .contains(kept.id())
                .doesNotContain(deleted.id());
        assertThat(sendAsAdmin("GET", "/api/v1/alert-rules/" + deleted.id(), null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(sendAsAdmin("DELETE", "/api/v1/alert-rules/" + deleted.id(), null)
                        .statusCode())
                .isEqualTo(404);
        var audit = db.fetchOne(
                "select payload from audit_entries where project = ? and kind = 'POLICY_CHANGE'"
                        + " and payload::jsonb->>'id' = ? and payload::jsonb->'after' = 'null'::jsonb",
                project,
                deleted.id());
        assertThat(audit).as("the deletion is audited with nothing after it").isNotNull();

        // a rule that fired keeps its alerts when deleted; only admins of its project may delete it
        String other = unique("other");
        var otherProjectsAdmin = new io.aiops.policy.api.PolicyClient(
                baseUri(),
                admin.createApiKey(new io.aiops.policy.api.ApiKeyRequest(
                                "other-admin", io.aiops.policy.api.ApiRole.ADMIN, List.of(other)))
                        .key());
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                                io.aiops.policy.api.PolicyServiceException.class,
                                () -> otherProjectsAdmin.deleteAlertRule(kept.id()))
                        .status())
                .isEqualTo(403);
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                                io.aiops.policy.api.PolicyServiceException.class,
                                () -> worker.deleteAlertRule(kept.id()))
                        .status())
                .isEqualTo(403);
        admin.deleteAlertRule(kept.id());
        assertThat(alertsOf(kept.id())).hasSize(1);
        // nor may another project take over the id of a deleted rule
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                                io.aiops.policy.api.PolicyServiceException.class,
                                () -> otherProjectsAdmin.putAlertRule(new AlertRule(
                                        kept.id(),
                                        other,
                                        AlertKind.DAILY_SPEND_ABOVE,
                                        null,
                                        null,
                                        null,
                                        null,
                                        new BigDecimal("0.10"),
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null)))
                        .status())
                .isEqualTo(403);

        // the same id put again is a new rule, evaluated from now on
        AlertRule again = admin.putAlertRule(deleted);
        assertThat(admin.getAlertRule(deleted.id())).isEqualTo(again);
        call(project, model, 1, SUCCEEDED);
        evaluateAMinuteLater();
        assertThat(alertsOf(deleted.id())).hasSize(1);
    }

    @Test
    void dailySpendAboveFiresOnceADayAndNotBelow() {
        projectRoutedToOneModel();
        AlertRule rule = admin.putAlertRule(rule(project, AlertKind.DAILY_SPEND_ABOVE, "thresholdUsd", "1.00"));
        AlertRule otherWorkflow = admin.putAlertRule(rule(
                project, AlertKind.DAILY_SPEND_ABOVE, "thresholdUsd", "0.10", "bpmnProcessId", "invoice-extraction"));

        call(project, model, 600, SUCCEEDED);
        call(project, model, 400, SUCCEEDED); // exactly $1.00: not above
        evaluateAMinuteLater();
        assertThat(alertsOf(rule.id())).isEmpty();

        call(project, model, 1, SUCCEEDED); // $1.001
        evaluateTwiceAMinuteApart();

        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).hasSize(1);
        assertThat(fired.getFirst().subject()).isEqualTo("project:" + project);
        assertThat(fired.getFirst().period())
                .isEqualTo(CLOCK.instant().toString().substring(0, 10));
        assertThat(fired.getFirst().details())
                .containsEntry("spentUsd", "1.001")
                .containsEntry("thresholdUsd", "1");
        // the calls all belong to ticket-triage: a rule on another workflow of the project stays quiet
        assertThat(alertsOf(otherWorkflow.id())).isEmpty();
    }

    @Test
    void answersTheQualityGateTurnedAwayAreNoErrorsForTheErrorRate() {
        CLOCK.advance(Duration.ofSeconds(900 - CLOCK.instant().getEpochSecond() % 900));
        projectRoutedToOneModel();
        AlertRule rule = admin.putAlertRule(rule(
                project, AlertKind.ERROR_RATE_ABOVE, "thresholdPercent", "10", "window", "PT15M", "minAttempts", 2));
        // two answers turned away by the quality gate, the third used: the provider failed nothing
        Decision gated = worker.decide(request(project, "classify", 10, 1));
        List<CallOutcome.Attempt> attempts = new ArrayList<>();
        for (CallStatus status : List.of(FAILED, FAILED, SUCCEEDED)) {
            attempts.add(new CallOutcome.Attempt(
                    "acme", model, 1L, 0L, 0L, 1L, 0L, 5L, status, status == FAILED ? "QUALITY_GATE" : null));
        }
        worker.reportOutcome(gated.decisionId(), new CallOutcome(attempts, Map.of(), "q", "a"));
        evaluateTwiceAMinuteApart();
        assertThat(alertsOf(rule.id())).isEmpty();

        call(project, model, 1, FAILED); // a provider failure: 1 of 4 attempts failed, 25 %
        evaluateAMinuteLater();
        assertThat(alertsOf(rule.id()))
                .singleElement()
                .satisfies(alert -> assertThat(alert.details())
                        .containsEntry("attempts", "4")
                        .containsEntry("failed", "1"));
    }

    @Test
    void errorRateAboveNeedsTheMinimumAttemptsAndFiresOncePerWindow() {
        // start on a quarter-hour: the minutes this test moves on stay in one PT15M period, whatever ran before it
        CLOCK.advance(Duration.ofSeconds(900 - CLOCK.instant().getEpochSecond() % 900));
        projectRoutedToOneModel();
        AlertRule rule = admin.putAlertRule(rule(
                project, AlertKind.ERROR_RATE_ABOVE, "thresholdPercent", "50", "window", "PT15M", "minAttempts", 4));

        call(project, model, 1, FAILED); // one failure out of one: pages nobody
        evaluateAMinuteLater();
        assertThat(alertsOf(rule.id())).isEmpty();

        call(project, model, 1, SUCCEEDED);
        call(project, model, 1, FAILED, SUCCEEDED); // 4 attempts, 2 failed: 50 %, not above
        evaluateAMinuteLater();
        assertThat(alertsOf(rule.id())).isEmpty();

        call(project, model, 1, FAILED); // 5 attempts, 3 failed: 60 %
        evaluateTwiceAMinuteApart();

        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).hasSize(1);
        assertThat(fired.getFirst().details())
                .containsEntry("attempts", "5")
                .containsEntry("failed", "3")
                .containsEntry("errorRatePercent", "60.0");

        // narrowed to another model of the project: none of these attempts count
        AlertRule otherModel = admin.putAlertRule(rule(
                project,
                AlertKind.ERROR_RATE_ABOVE,
                "provider",
                "acme",
                "model",
                model("unused-" + project),
                "thresholdPercent",
                "10",
                "window",
                "PT15M",
                "minAttempts",
                1));
        evaluator.evaluateScheduledRules();
        assertThat(alertsOf(otherModel.id())).isEmpty();
    }

    @Test
    void newModelForWorkflowFiresForTheFirstUseOnly() {
        projectRoutedToOneModel();
        call(project, model, 10, SUCCEEDED); // used before the rule existed: not new
        aMinuteLater();
        AlertRule rule = admin.putAlertRule(rule(project, AlertKind.NEW_MODEL_FOR_WORKFLOW));
        aMinuteLater();
        call(project, model, 10, SUCCEEDED);
        evaluateAMinuteLater();
        assertThat(alertsOf(rule.id())).isEmpty();

        String newcomer = model("newcomer-" + project);
        call(project, newcomer, 10, SUCCEEDED);
        evaluateAMinuteLater();
        call(project, newcomer, 10, SUCCEEDED);
        evaluateAMinuteLater();

        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).hasSize(1);
        assertThat(fired.getFirst().details())
                .containsEntry("bpmnProcessId", "ticket-triage")
                .containsEntry("model", newcomer);
    }

    @Test
    void modelShareJumpComparesTheLastDayWithTheSevenDaysBefore() {
        projectRoutedToOneModel();
        String rising = model("rising-" + project);
        AlertRule rule =
                admin.putAlertRule(rule(project, AlertKind.MODEL_SHARE_JUMP, "thresholdPercent", "30", "minCalls", 4));
        // the baseline: three days ago the workflow used only the usual model
        CLOCK.advance(Duration.ofDays(-3));
        try {
            for (int i = 0; i < 4; i++) {
                call(project, model, 1, SUCCEEDED);
            }
        } finally {
            CLOCK.advance(Duration.ofDays(3));
        }
        for (int i = 0; i < 3; i++) {
            call(project, model, 1, SUCCEEDED);
        }
        call(project, rising, 1, SUCCEEDED); // 25 % of the last day, from 0 %: a rise of 25 points
        evaluateAMinuteLater();
        assertThat(alertsOf(rule.id())).isEmpty();

        call(project, rising, 1, SUCCEEDED);
        call(project, rising, 1, SUCCEEDED); // 50 %: 50 points up
        evaluateTwiceAMinuteApart();

        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).hasSize(1);
        assertThat(fired.getFirst().details())
                .containsEntry("model", rising)
                .containsEntry("sharePercentLastDay", "50.0")
                .containsEntry("sharePercentPrevious7Days", "0.0");
    }

    @Test
    void aBrokenAuditChainRaisesOneAlertPerBrokenEntry() {
        projectRoutedToOneModel();
        AlertRule rule = admin.putAlertRule(rule(project, AlertKind.AUDIT_CHAIN_BROKEN));
        call(project, model, 10, SUCCEEDED);
        call(project, model, 10, SUCCEEDED);
        chainHealth.verifyAll();
        assertThat(alertsOf(rule.id())).isEmpty();

        OWNER.transaction(tx -> {
            tx.dsl().execute("SET LOCAL session_replication_role = replica");
            tx.dsl().execute("UPDATE audit_entries SET model = 'cheaper' WHERE project = ? AND seq = 3", project);
        });
        chainHealth.verifyAll();
        aMinuteLater();
        chainHealth.verifyAll();

        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).hasSize(1);
        assertThat(fired.getFirst().subject()).isEqualTo("audit-chain:" + project);
        assertThat(fired.getFirst().details()).containsEntry("brokenSeq", "3");
    }

    @Test
    void twoEvaluatorsRacingRecordEachAlertOnce() throws Exception {
        projectRoutedToOneModel();
        AlertRule spend = admin.putAlertRule(rule(project, AlertKind.DAILY_SPEND_ABOVE, "thresholdUsd", "0.05"));
        AlertRule errors = admin.putAlertRule(rule(
                project, AlertKind.ERROR_RATE_ABOVE, "thresholdPercent", "10", "window", "PT15M", "minAttempts", 2));
        call(project, model, 100, FAILED, SUCCEEDED);
        aMinuteLater();
        // two instances as two replicas would run them, over the same database
        AlertEvaluationService replicaA =
                new AlertEvaluationService(ruleStore, alertStore, signals, budgetStore, CLOCK);
        AlertEvaluationService replicaB =
                new AlertEvaluationService(ruleStore, alertStore, signals, budgetStore, CLOCK);
        List<Callable<Integer>> rounds = List.of(
                replicaA::evaluateScheduledRules, replicaB::evaluateScheduledRules,
                replicaA::evaluateScheduledRules, replicaB::evaluateScheduledRules);
        race(rounds);

        assertThat(db.fetchCount(ALERTS, ALERTS.RULE_ID.eq(spend.id()))).isEqualTo(1);
        assertThat(db.fetchCount(ALERTS, ALERTS.RULE_ID.eq(errors.id()))).isEqualTo(1);
    }

    /** Evaluates the scheduled rules a minute after the calls just recorded. */
    private void evaluateAMinuteLater() {
        aMinuteLater();
        evaluator.evaluateScheduledRules();
    }

    /** The condition still holds at the second evaluation: it must not fire again. */
    private void evaluateTwiceAMinuteApart() {
        evaluateAMinuteLater();
        evaluateAMinuteLater();
    }
}
