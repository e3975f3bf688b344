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
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.application.port.in.ExpireReservationsUseCase;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Workers that crash after their decision never report an outcome: once the reservation TTL has passed (moved on
 * the injected clock), expiry gives every held cent back to every budget window, records each release, and the
 * windows' reserved figures return to exactly zero.
 */
class WorkerCrashReleaseTest extends PolicyServerTest {

    @Autowired
    ExpireReservationsUseCase expireReservations;

    @Test
    void reservationsOfCrashedWorkersAreReleasedAfterTheTimeoutAndTheReleaseIsRecorded() {
        String project = unique("crash");
        String model = "m-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
        String projectBudget = budget(project, "0.05", BudgetMode.HARD);
        String workflowBudget = unique("budget");
        admin.putBudget(new BudgetDefinition(
                workflowBudget,
                new BudgetScope(project, "ticket-triage"),
                BudgetPeriod.WEEK,
                new BigDecimal("0.05"),
                BudgetMode.SOFT));

        // five workers crash after their decision (0.002 held each); one reports normally
        List<Decision> crashed = IntStream.range(0, 5)
                .mapToObj(i -> worker.decide(request(project, "classify", 1000, 500)))
                .toList();
        Decision settled = worker.decide(request(project, "classify", 1000, 500));
        worker.reportOutcome(
                settled.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", model, 300L, 0L, 0L, 100L, 0L, 20L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        null,
                        "ok"));
        assertThat(admin.getBudget(projectBudget).reservedUsd()).isEqualByComparingTo("0.010");
        assertThat(admin.getBudget(workflowBudget).reservedUsd()).isEqualByComparingTo("0.010");

        CLOCK.advance(Duration.ofMinutes(15).minusSeconds(1));
        expireReservations.expireDue();
        assertThat(crashed).allSatisfy(d -> assertThat(status(d)).isEqualTo("OPEN"));

        CLOCK.advance(Duration.ofSeconds(2));
        assertThat(expireReservations.expireDue()).isGreaterThanOrEqualTo(5);
        assertThat(expireReservations.expireDue())
                .as("a second run finds nothing left")
                .isZero();

        assertThat(crashed).allSatisfy(d -> {
            assertThat(status(d)).isEqualTo("EXPIRED");
            assertThat(events(d)).containsExactly("EXPIRED 0.002 0");
        });
        assertThat(events(settled)).containsExactly("SETTLED 0.002 0.0005");
        for (String budgetId : List.of(projectBudget, workflowBudget)) {
            BudgetStatus budget = admin.getBudget(budgetId);
            assertThat(budget.reservedUsd()).isEqualByComparingTo("0");
            assertThat(budget.spentUsd()).isEqualByComparingTo("0.0005");
            // the window's figures are exactly what its reservations' events say
            assertThat(eventTotals(budgetId)).isEqualTo(List.of(new BigDecimal("0.012"), new BigDecimal("0.0005")));
        }

        // the late outcome of one crashed worker still counts: its cost is posted, nothing more is released
        Decision late = crashed.getFirst();
        OutcomeReceipt receipt = worker.reportOutcome(
                late.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", model, 1000L, 0L, 0L, 500L, 0L, 20L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        null,
                        "late"));
        assertThat(receipt.releasedUsd()).isEqualByComparingTo("0");
        assertThat(events(late)).containsExactly("EXPIRED 0.002 0", "LATE_OUTCOME 0 0.002");
        assertThat(admin.getBudget(projectBudget).spentUsd()).isEqualByComparingTo("0.0025");
        assertThat(admin.getBudget(projectBudget).reservedUsd()).isEqualByComparingTo("0");
    }

    private String status(Decision decision) {
        return db.fetchValue("select status from reservations where decision_id = ?", decision.decisionId())
                .toString();
    }

    private List<String> events(Decision decision) {
        return db.fetch(
                        "select e.kind, e.reserved_released_usd, e.spent_posted_usd from reservation_events e"
                                + " join reservations r on r.id = e.reservation_id where r.decision_id = ? order by e.id",
                        decision.decisionId())
                .map(r -> r.get(0) + " " + plain(r.get(1, BigDecimal.class)) + " " + plain(r.get(2, BigDecimal.class)));
    }

    /** Sum of released and posted money over the events of the reservations holding money in a budget. */
    private List<BigDecimal> eventTotals(String budgetId) {
        var totals = db.fetchOne(
                "select sum(e.reserved_released_usd), sum(e.spent_posted_usd) from reservation_events e"
                        + " join reservation_holds h on h.reservation_id = e.reservation_id where h.budget_id = ?",
                budgetId);
        return List.of(plain(totals.get(0, BigDecimal.class)), plain(totals.get(1, BigDecimal.class)));
    }

    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
