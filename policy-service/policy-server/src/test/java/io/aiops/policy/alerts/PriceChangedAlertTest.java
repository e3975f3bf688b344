package io.aiops.policy.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.RoutingPolicy;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A price change tells each project that used the model last week what it costs them, per workflow, exactly. */
class PriceChangedAlertTest extends AlertTestSupport {

    private static ModelPrice price(String model, String input, String inputAboveTier) {
        return new ModelPrice(
                "acme",
                model,
                new BigDecimal(input),
                new BigDecimal("0.000002"),
                null,
                null,
                null,
                null,
                10_000L,
                new BigDecimal(inputAboveTier),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private void call(String project, String workflow, String model, long input, long output) {
        DecisionRequest r = request(project, "classify", 10, 1);
        Decision decision = worker.decide(new DecisionRequest(
                r.idempotencyKey(),
                project,
                workflow,
                r.processDefinitionKey(),
                r.processInstanceKey(),
                r.elementId(),
                r.elementInstanceKey(),
                null,
                "classify",
                null,
                10,
                1,
                Map.of()));
        worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", model, input, 0L, 0L, output, 0L, 5L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        "q",
                        "a"));
    }

    @Test
    void aPriceChangeNamesTheWorkflowsThatUsedTheModelAndWhatItCostsThem() {
        String project = unique("priced");
        String bystander = unique("bystander");
        String model = unique("repriced");
        admin.putModel(price(model, "0.000001", "0.000002"));
        for (String p : List.of(project, bystander)) {
            admin.putRoutingPolicy(new RoutingPolicy(
                    unique("route"), p, null, List.of(new RoutingPolicy.Target("acme", model, null))));
        }
        call(project, "invoice-triage", model, 1_000, 500);
        call(project, "invoice-triage", model, 1_000, 500);
        call(project, "ticket-routing", model, 20_000, 100);
        AlertRule rule = admin.putAlertRule(rule(project, AlertKind.PRICE_CHANGED));
        AlertRule otherModel = admin.putAlertRule(rule(project, AlertKind.PRICE_CHANGED, "model", unique("other")));
        aMinuteLater();

        admin.putModel(price(model, "0.0000015", "0.000003"));

        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).hasSize(1);
        FiredAlert alert = fired.getFirst();
        assertThat(alert.kind()).isEqualTo(AlertKind.PRICE_CHANGED);
        assertThat(alert.project()).isEqualTo(project);
        // before: 2 x (1000 x 1e-6 + 500 x 2e-6) + (20000 x 2e-6 above the tier + 100 x 2e-6) = 0.004 + 0.0402
        // after:  2 x (1000 x 1.5e-6 + 500 x 2e-6) + (20000 x 3e-6 + 100 x 2e-6) = 0.005 + 0.0602
        assertThat(alert.details())
                .containsEntry("workflows", "invoice-triage,ticket-routing")
                .containsEntry("attemptsLastWeek", "3")
                .containsEntry("versionBefore", "1")
                .containsEntry("versionAfter", "2");
        assertThat(new BigDecimal(alert.details().get("costLastWeekUsd"))).isEqualByComparingTo("0.0442");
        assertThat(new BigDecimal(alert.details().get("costAtNewPriceUsd"))).isEqualByComparingTo("0.0652");
        assertThat(new BigDecimal(alert.details().get("effectUsd"))).isEqualByComparingTo("0.021");
        assertThat(alert.message())
                .contains("acme/" + model, "invoice-triage (2 attempts)", "ticket-routing (1 attempts)", "+47.5 %");
        assertThat(alertsOf(otherModel.id())).isEmpty();

        // the same price again is no change; the bystander project never used the model before the change, no rule
        admin.putModel(price(model, "0.0000015", "0.000003"));
        assertThat(alertsOf(rule.id())).hasSize(1);
    }

    @Test
    void aRuleForOneWorkflowReportsOnlyThatWorkflow() {
        String project = unique("narrow");
        String model = unique("narrowed");
        admin.putModel(price(model, "0.000001", "0.000002"));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"), project, null, List.of(new RoutingPolicy.Target("acme", model, null))));
        call(project, "invoice-triage", model, 1_000, 0);
        call(project, "ticket-routing", model, 1_000, 0);
        AlertRule onlyTickets =
                admin.putAlertRule(rule(project, AlertKind.PRICE_CHANGED, "bpmnProcessId", "ticket-routing"));
        AlertRule unusedWorkflow =
                admin.putAlertRule(rule(project, AlertKind.PRICE_CHANGED, "bpmnProcessId", "never-ran"));
        aMinuteLater();

        admin.putModel(price(model, "0.000002", "0.000002"));

        assertThat(alertsOf(onlyTickets.id()))
                .singleElement()
                .satisfies(a -> assertThat(a.details())
                        .containsEntry("workflows", "ticket-routing")
                        .containsEntry("effectUsd", "+0.001"));
        assertThat(alertsOf(unusedWorkflow.id())).isEmpty();
    }
}
