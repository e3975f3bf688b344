package io.aiops.policy.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetReconciliation;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.support.PolicyServerTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reconcile endpoint recomputes a budget's figures from its holds and the ledger: it agrees after ordinary
 * traffic, and it names what no longer adds up when a window's figures or a call's hold were lost.
 */
class BudgetReconciliationTest extends PolicyServerTest {

    @Test
    void figuresOfSettledOpenAndLostHoldsAreReconciledAgainstTheLedger() {
        String project = unique("reconcile");
        routeProjectTo(project, unique("model"), "0.000001", "0.000002");
        String budgetId = budget(project, "1.00", BudgetMode.HARD);

        Decision settled = worker.decide(request(project, "classify", 1000, 500));
        Decision.Candidate model = settled.candidates().getFirst();
        OutcomeReceipt receipt = worker.reportOutcome(
                settled.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                model.provider(),
                                model.model(),
                                800L,
                                0L,
                                0L,
                                300L,
                                0L,
                                40L,
                                CallStatus.SUCCEEDED,
                                null)),
                        Map.of(),
                        "prompt",
                        "answer"));
        Decision open = worker.decide(request(project, "classify", 1000, 500));

        BudgetReconciliation agreed = viewer.reconcileBudget(budgetId);
        assertThat(agreed.consistent()).isTrue();
        assertThat(agreed.windows()).singleElement().satisfies(w -> {
            assertThat(w.spentUsd()).isEqualByComparingTo(receipt.costUsd());
            assertThat(w.postedUsd()).isEqualByComparingTo(receipt.costUsd());
            assertThat(w.reservedUsd()).isEqualByComparingTo(open.reservation().amountUsd());
            assertThat(w.openHeldUsd()).isEqualByComparingTo(open.reservation().amountUsd());
        });

        // a window that lost a posting, and a paid call whose hold vanished: both are named
        db.execute("update budget_windows set spent_usd = spent_usd + 0.25 where budget_id = ?", budgetId);
        Decision lost = worker.decide(request(project, "classify", 1000, 500));
        db.execute(
                "update budget_windows w set reserved_usd = reserved_usd - h.amount_usd from reservation_holds h"
                        + " where h.budget_id = w.budget_id and h.window_start = w.window_start and h.reservation_id = ?",
                lost.reservation().id());
        db.execute(
                "delete from reservation_holds where reservation_id = ?",
                lost.reservation().id());
        OutcomeReceipt unheld = worker.reportOutcome(
                lost.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                model.provider(),
                                model.model(),
                                500L,
                                0L,
                                0L,
                                100L,
                                0L,
                                40L,
                                CallStatus.SUCCEEDED,
                                null)),
                        Map.of(),
                        "prompt",
                        "answer"));

        BudgetReconciliation broken = viewer.reconcileBudget(budgetId);
        assertThat(broken.consistent()).isFalse();
        assertThat(broken.windows()).singleElement().satisfies(w -> {
            assertThat(w.consistent()).isFalse();
            assertThat(w.spentUsd().subtract(w.postedUsd())).isEqualByComparingTo("0.25");
            assertThat(w.reservedUsd()).isEqualByComparingTo(w.openHeldUsd());
        });
        assertThat(broken.callsWithoutHold()).isEqualTo(1);
        assertThat(broken.someCallsWithoutHold()).containsExactly(unheld.callId());
        assertThat(broken.costWithoutHoldUsd()).isEqualByComparingTo(unheld.costUsd());
    }
}
