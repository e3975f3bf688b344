package io.aiops.policy.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.BudgetRecommendation;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.support.PolicyServerTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Suggested caps are 120 % of the observed spend per project and per project × workflow, rounded up to the cent. */
class BudgetRecommendationTest extends PolicyServerTest {

    @Test
    void recommendsCapsAboveObservedSpendPerScope() {
        String project = unique("rec");
        String model = "m-" + project;
        routeProjectTo(project, model, "0.00001", "0.00002");
        String existing = budget(project, "1", BudgetMode.HARD);
        // two calls of 0.02 in ticket-triage, one of 0.005 in invoice-check
        call(project, "ticket-triage", model, 1000, 500);
        call(project, "ticket-triage", model, 1000, 500);
        call(project, "invoice-check", model, 500, 0);
        CLOCK.advance(Duration.ofMinutes(1));

        List<BudgetRecommendation> mine = viewer.budgetRecommendations(BudgetPeriod.DAY).stream()
                .filter(r -> project.equals(r.scope().project()))
                .toList();

        assertThat(mine)
                .extracting(
                        r -> r.scope().bpmnProcessId() + " " + r.observedUsd().toPlainString() + " -> "
                                + r.recommendedLimitUsd().toPlainString() + " " + r.existingBudgetId())
                .containsExactlyInAnyOrder(
                        "null 0.045 -> 0.06 " + existing,
                        "ticket-triage 0.04 -> 0.05 null",
                        "invoice-check 0.005 -> 0.01 null");
        assertThat(mine)
                .filteredOn(r -> r.scope().equals(new BudgetScope(project, null)))
                .singleElement()
                .satisfies(r -> assertThat(r.existingLimitUsd()).isEqualByComparingTo("1"));
    }

    private void call(String project, String workflow, String model, long input, long output) {
        long key = nextKey();
        Decision decision = worker.decide(new DecisionRequest(
                "ei:" + key + ":1",
                project,
                workflow,
                7L,
                nextKey(),
                "classify",
                key,
                null,
                "classify",
                null,
                (int) input,
                (int) Math.max(output, 1),
                Map.of()));
        worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", model, input, 0L, 0L, output, 0L, 5L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        null,
                        "ok"));
    }
}
