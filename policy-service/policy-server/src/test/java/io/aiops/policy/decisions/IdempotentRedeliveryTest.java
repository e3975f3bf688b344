package io.aiops.policy.decisions;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RESERVATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.application.port.in.ExpireReservationsUseCase;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A job redelivered by Zeebe repeats its idempotency key. The repeat gets the stored decision, but never a decision
 * whose money is gone (its reservation expired while the worker was down), and never another call's decision.
 */
class IdempotentRedeliveryTest extends PolicyServerTest {

    @Autowired
    ExpireReservationsUseCase expireReservations;

    @Test
    void redeliveryAfterTheReservationExpiredHoldsTheMoneyAgain() {
        String project = unique("redeliver");
        String model = "m-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
        String cap = budget(project, "0.01", BudgetMode.HARD);
        DecisionRequest request = request(project, "classify", 1000, 500);

        Decision first = worker.decide(request);
        assertThat(first.allowed()).isTrue();
        CLOCK.advance(Duration.ofMinutes(16));
        expireReservations.expireDue();
        assertThat(admin.getBudget(cap).reservedUsd()).isEqualByComparingTo("0");

        Decision again = worker.decide(request);

        assertThat(again.decisionId()).isEqualTo(first.decisionId());
        assertThat(again.allowed()).isTrue();
        assertThat(again.reservation().id()).isEqualTo(first.reservation().id());
        assertThat(again.reservation().amountUsd()).isEqualByComparingTo("0.002");
        assertThat(again.reservation().expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(15)));
        assertThat(admin.getBudget(cap).reservedUsd())
                .as("the money is held again")
                .isEqualByComparingTo("0.002");
        assertThat(reservationStatus(first)).isEqualTo("OPEN");
        assertThat(events(first)).containsExactly("EXPIRED 0.002 0 0", "REHELD 0 0 0.002");

        // a third delivery while the new hold is open changes nothing, and the outcome settles the hold normally
        assertThat(worker.decide(request).reservation().expiresAt())
                .isEqualTo(again.reservation().expiresAt());
        assertThat(admin.getBudget(cap).reservedUsd()).isEqualByComparingTo("0.002");
        OutcomeReceipt receipt = worker.reportOutcome(
                first.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", model, 1000L, 0L, 0L, 500L, 0L, 20L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        null,
                        "ok"));
        assertThat(receipt.releasedUsd()).isEqualByComparingTo("0");
        assertThat(admin.getBudget(cap).reservedUsd()).isEqualByComparingTo("0");
        assertThat(admin.getBudget(cap).spentUsd()).isEqualByComparingTo("0.002");
        assertThat(events(first)).containsExactly("EXPIRED 0.002 0 0", "REHELD 0 0 0.002", "SETTLED 0.002 0.002 0");
    }

    @Test
    void redeliveryAfterExpiryIsDeniedWhenTheHardCapHasNoRoomLeft() {
        String project = unique("redeliver-full");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        String cap = budget(project, "0.003", BudgetMode.HARD);
        DecisionRequest crashed = request(project, "classify", 1000, 500);
        assertThat(worker.decide(crashed).allowed()).isTrue();
        CLOCK.advance(Duration.ofMinutes(16));
        expireReservations.expireDue();
        // meanwhile another call takes the room the crashed one gave back
        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .isTrue();

        Decision again = worker.decide(crashed);

        assertThat(again.allowed()).isFalse();
        assertThat(again.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(again.reservation()).isNull();
        assertThat(again.candidates()).isEmpty();
        assertThat(admin.getBudget(cap).reservedUsd())
                .as("nothing held beyond the cap")
                .isEqualByComparingTo("0.002");
        assertThat(events(again)).containsExactly("EXPIRED 0.002 0 0", "REHOLD_DENIED 0 0 0");
        Decision stillDenied = worker.decide(crashed);
        assertThat(stillDenied.allowed()).isFalse();
        assertThat(stillDenied.reservation()).isNull();
        assertThat(admin.getBudget(cap).reservedUsd()).isEqualByComparingTo("0.002");

        // the first worker was slow, not dead: its call ran, and the money it spent is recorded all the same
        OutcomeReceipt late = worker.reportOutcome(
                again.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", "m-" + project, 1000L, 0L, 0L, 500L, 0L, 20L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        null,
                        "ok"));
        assertThat(late.costUsd()).isEqualByComparingTo("0.002");
        assertThat(late.releasedUsd()).isEqualByComparingTo("0");
        assertThat(admin.getBudget(cap).spentUsd()).isEqualByComparingTo("0.002");
        assertThat(events(again)).containsExactly("EXPIRED 0.002 0 0", "REHOLD_DENIED 0 0 0", "LATE_OUTCOME 0 0.002 0");
    }

    @Test
    void aKeyReusedForAnotherCallIsAConflictAndChangesNothing() {
        String project = unique("reuse");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        String cap = budget(project, "1", BudgetMode.HARD);
        DecisionRequest original = request(project, "classify", 1000, 500);
        Decision first = worker.decide(original);
        int decisions = decisionCount();
        int reservations = db.fetchCount(RESERVATIONS);

        List<DecisionRequest> others = List.of(
                copy(
                        original,
                        original.processInstanceKey() + 1,
                        original.elementInstanceKey(),
                        original.bpmnProcessId(),
                        original.taskKind()),
                copy(
                        original,
                        original.processInstanceKey(),
                        original.elementInstanceKey() + 1,
                        original.bpmnProcessId(),
                        original.taskKind()),
                copy(
                        original,
                        original.processInstanceKey(),
                        original.elementInstanceKey(),
                        "other-flow",
                        original.taskKind()),
                copy(
                        original,
                        original.processInstanceKey(),
                        original.elementInstanceKey(),
                        original.bpmnProcessId(),
                        "summarise"));
        for (DecisionRequest other : others) {
            PolicyServiceException e = catchThrowableOfType(PolicyServiceException.class, () -> worker.decide(other));
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.field()).isEqualTo("idempotencyKey");
        }

        assertThat(decisionCount()).isEqualTo(decisions);
        assertThat(db.fetchCount(RESERVATIONS)).isEqualTo(reservations);
        assertThat(admin.getBudget(cap).reservedUsd()).isEqualByComparingTo("0.002");
        // the same call asked again still gets its decision
        assertThat(worker.decide(original).decisionId()).isEqualTo(first.decisionId());
    }

    private static DecisionRequest copy(
            DecisionRequest r,
            long processInstanceKey,
            long elementInstanceKey,
            String bpmnProcessId,
            String taskKind) {
        return new DecisionRequest(
                r.idempotencyKey(),
                r.project(),
                bpmnProcessId,
                r.processDefinitionKey(),
                processInstanceKey,
                r.elementId(),
                elementInstanceKey,
                r.jobKey(),
                taskKind,
                r.modelHint(),
                r.estimatedInputTokens(),
                r.maxOutputTokens(),
                r.tags());
    }

    private String reservationStatus(Decision decision) {
        return db.fetchValue("select status from reservations where decision_id = ?", decision.decisionId())
                .toString();
    }

    private List<String> events(Decision decision) {
        return db.fetch(
                        "select e.kind, e.reserved_released_usd, e.spent_posted_usd, e.reserved_held_usd"
                                + " from reservation_events e join reservations r on r.id = e.reservation_id"
                                + " where r.decision_id = ? order by e.id",
                        decision.decisionId())
                .map(r -> r.get(0) + " " + plain(r.get(1, BigDecimal.class)) + " " + plain(r.get(2, BigDecimal.class))
                        + " " + plain(r.get(3, BigDecimal.class)));
    }

    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}
