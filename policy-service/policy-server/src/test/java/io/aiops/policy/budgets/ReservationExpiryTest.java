package io.aiops.policy.budgets;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RESERVATIONS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.application.port.in.ExpireReservationsUseCase;
import io.aiops.policy.support.PolicyServerTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ReservationExpiryTest extends PolicyServerTest {

    @Autowired
    ExpireReservationsUseCase expireReservations;

    @Test
    void unsettledReservationIsReleasedAfterItsTtlAndALateOutcomeStillCounts() {
        String project = unique("proj");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        String budgetId = budget(project, "0.003", BudgetMode.HARD);
        Decision held = worker.decide(request(project, "classify", 1000, 500));
        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .isFalse();

        CLOCK.advance(Duration.ofMinutes(14));
        expireReservations.expireDue();
        assertThat(reservationStatus(held)).isEqualTo("OPEN");

        CLOCK.advance(Duration.ofMinutes(2));
        assertThat(expireReservations.expireDue()).isGreaterThanOrEqualTo(1);

        assertThat(reservationStatus(held)).isEqualTo("EXPIRED");
        assertThat(admin.getBudget(budgetId).reservedUsd()).isEqualByComparingTo("0");
        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .isTrue();

        OutcomeReceipt late = worker.reportOutcome(
                held.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", "m-" + project, 100L, 0L, 0L, 50L, 0L, 900L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        null,
                        "late"));
        // 100 * 0.000001 + 50 * 0.000002; the reservation's money went back at expiry, so nothing more is released
        assertThat(late.costUsd()).isEqualByComparingTo("0.0002");
        assertThat(late.releasedUsd()).isEqualByComparingTo("0");
        BudgetStatus budget = admin.getBudget(budgetId);
        assertThat(budget.spentUsd()).isEqualByComparingTo("0.0002");
        assertThat(budget.reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(reservationStatus(held)).isEqualTo("EXPIRED");
    }

    /**
     * A failover chain that may run longer than the TTL keeps its money until it could have ended: 6 candidates of
     * 90 s, each tried up to twice with 31 s of waits (the workers' defaults), may run 6 × (2 × 90 + 31) s = 21 min 6 s.
     * Expiring it at 15 minutes would hand the room to other calls while this one may still be spending it.
     */
    @Test
    void aReservationLivesAsLongAsItsFailoverChainMayRunWhenThatIsLongerThanTheTtl() {
        String project = unique("proj");
        List<RoutingPolicy.Target> chain = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String model = "chain-" + i + "-" + project;
            admin.putModel(new ModelPrice(
                    "acme",
                    model,
                    new java.math.BigDecimal("0.000001"),
                    new java.math.BigDecimal("0.000002"),
                    null,
                    null,
                    null,
                    null));
            chain.add(new RoutingPolicy.Target("acme", model, 90_000L));
        }
        admin.putRoutingPolicy(new RoutingPolicy(unique("route"), project, null, chain));
        String budgetId = budget(project, "1", BudgetMode.HARD);
        Decision long6 = worker.decide(request(project, "classify", 1000, 500));
        Duration chainRuns = Duration.ofSeconds(6 * (2 * 90 + 31));
        assertThat(long6.reservation().expiresAt()).isEqualTo(CLOCK.instant().plus(chainRuns));

        CLOCK.advance(Duration.ofMinutes(16));
        expireReservations.expireDue();
        assertThat(reservationStatus(long6))
                .as("past the TTL, the chain may still run")
                .isEqualTo("OPEN");
        assertThat(admin.getBudget(budgetId).reservedUsd())
                .isEqualByComparingTo(long6.reservation().amountUsd());

        CLOCK.advance(chainRuns.minus(Duration.ofMinutes(16)).plusSeconds(1));
        assertThat(expireReservations.expireDue()).isGreaterThanOrEqualTo(1);
        assertThat(reservationStatus(long6)).isEqualTo("EXPIRED");
        assertThat(admin.getBudget(budgetId).reservedUsd()).isEqualByComparingTo("0");
    }

    private String reservationStatus(Decision decision) {
        return db.fetchValue(RESERVATIONS.STATUS, RESERVATIONS.DECISION_ID.eq(decision.decisionId()));
    }
}
