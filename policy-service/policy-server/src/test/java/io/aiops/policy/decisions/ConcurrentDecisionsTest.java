package io.aiops.policy.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.Decision;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Many workers racing for one HARD budget or one idempotency key: the cap holds and no key pays twice. */
class ConcurrentDecisionsTest extends PolicyServerTest {

    @Test
    void racingDecisionsNeverReserveMoreThanTheHardLimit() throws Exception {
        String project = unique("race");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        // 0.002 per decision: room for exactly 10 of the 32
        String budgetId = budget(project, "0.0201", BudgetMode.HARD);

        List<Callable<Decision>> decisions = IntStream.range(0, 32)
                .mapToObj(i -> request(project, "classify", 1000, 500))
                .<Callable<Decision>>map(request -> () -> worker.decide(request))
                .toList();
        List<Decision> results = race(decisions);

        assertThat(results.stream().filter(Decision::allowed).count()).isEqualTo(10);
        var window = db.fetchOne(
                "select spent_usd + reserved_usd as used, b.limit_usd from budget_windows w join budgets b on b.id = w.budget_id"
                        + " where w.budget_id = ?",
                budgetId);
        assertThat(window.get("used", BigDecimal.class)).isLessThanOrEqualTo(window.get("limit_usd", BigDecimal.class));
        assertThat(window.get("used", BigDecimal.class)).isEqualByComparingTo("0.020");
        assertThat(db.fetchValue("select count(*) from reservation_holds where budget_id = ?", budgetId))
                .isEqualTo(10L);
    }

    @Test
    void racingRequestsWithOneIdempotencyKeyGetOneDecisionAndOneReservation() throws Exception {
        var request = request(unique("race"), "classify", 100, 100);

        List<Decision> results = race(IntStream.range(0, 8)
                .<Callable<Decision>>mapToObj(i -> () -> worker.decide(request))
                .toList());

        assertThat(results)
                .extracting(Decision::decisionId)
                .containsOnly(results.getFirst().decisionId());
        assertThat(results)
                .extracting(d -> d.reservation().id())
                .containsOnly(results.getFirst().reservation().id());
        assertThat(db.fetchValue("select count(*) from decisions where idempotency_key = ?", request.idempotencyKey()))
                .isEqualTo(1L);
        assertThat(db.fetchValue(
                        "select count(*) from reservations r join decisions d on d.id = r.decision_id"
                                + " where d.idempotency_key = ?",
                        request.idempotencyKey()))
                .isEqualTo(1L);
    }
}
