package io.aiops.policy.adapter.in.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.support.PolicyServerTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Budget gauges: the figures of every budget's current window, as the budget API shows them. */
class BudgetGaugesJobTest extends PolicyServerTest {

    @Autowired
    BudgetGaugesJob job;

    @Autowired
    MeterRegistry meters;

    private double gauge(String name, String budgetId) {
        return meters.get(name).tag("budget", budgetId).gauge().value();
    }

    @Test
    void eachBudgetShowsItsLimitSpentReservedAndRemainingAfterARefresh() {
        String project = unique("gauged");
        routeProjectTo(project, "gauged-" + project, "0.001", "0.001");
        String budgetId = budget(project, "1.00", BudgetDefinition.BudgetMode.HARD);
        Decision paid = worker.decide(request(project, "classify", 100, 100));
        worker.reportOutcome(
                paid.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", "gauged-" + project, 100L, 0L, 0L, 50L, 0L, 5L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        "q",
                        "a"));
        Decision inFlight = worker.decide(request(project, "classify", 100, 100));
        assertThat(inFlight.allowed()).isTrue();

        job.refresh();

        var status = admin.getBudget(budgetId);
        assertThat(gauge("aiops.budget.limit", budgetId)).isEqualTo(1.0);
        assertThat(gauge("aiops.budget.spent", budgetId))
                .isEqualTo(status.spentUsd().doubleValue());
        assertThat(gauge("aiops.budget.spent", budgetId)).isEqualTo(0.15);
        assertThat(gauge("aiops.budget.reserved", budgetId))
                .isEqualTo(status.reservedUsd().doubleValue());
        assertThat(gauge("aiops.budget.remaining", budgetId))
                .isEqualTo(status.remainingUsd().doubleValue());
        assertThat(meters.get("aiops.budget.remaining")
                        .tag("budget", budgetId)
                        .gauge()
                        .getId()
                        .getTag("project"))
                .isEqualTo(project);
    }
}
