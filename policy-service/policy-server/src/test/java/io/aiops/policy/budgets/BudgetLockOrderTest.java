package io.aiops.policy.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.domain.LockOrder;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Budget window rows are locked in one total order, whatever budgets a decision books in: Java sorts budget ids the way PostgreSQL's
 * {@code COLLATE "C"} does (by code point), also for ids with characters above U+FFFF, where UTF-16 order differs.
 */
class BudgetLockOrderTest extends PolicyServerTest {

    private static final List<String> IDS = List.of(
            "lock-a",
            "lock-\uE000",
            "lock-\uFFFD",
            "lock-\uD83D\uDE00",
            "lock-\uD800\uDC00",
            "lock-\uD83D\uDE00x",
            "lock-\u00E9",
            "lock-",
            "lock-\uFB01",
            "lock-\uDBFF\uDFFF");

    @Test
    void javaSortsBudgetIdsInTheOrderTheDatabaseLocksThem() {
        List<String> database = db.fetch("select id from unnest(?::text[]) as t(id) order by id collate \"C\"", (Object)
                        IDS.toArray(String[]::new))
                .getValues(0, String.class);

        assertThat(IDS.stream().sorted(LockOrder.BUDGET_IDS).toList()).isEqualTo(database);
        // the order this replaced: UTF-16 code units put U+1F600 before U+FFFD
        assertThat(IDS.stream().sorted(Comparator.naturalOrder()).toList()).isNotEqualTo(database);
    }

    @Test
    void decisionsWithAndWithoutModelBudgetsBookedAtOnceNeverDeadlock() throws Exception {
        String flow = unique("lock-flow");
        String model = unique("lock-model");
        String withModelBudget = unique("lock-model-budget");
        String callBudgetsOnly = unique("lock-call-budgets");
        routeProjectTo(withModelBudget, model, "0.000001", "0.000001");
        routeProjectTo(callBudgetsOnly, model, "0.000001", "0.000001");
        // two budgets over the workflow (a HARD and a SOFT one), ids on either side of the UTF-16 / code point
        // difference
        admin.putBudget(new BudgetDefinition(
                unique("lock-\uFFFD"),
                new BudgetScope(null, flow),
                BudgetPeriod.DAY,
                new BigDecimal("1000"),
                BudgetMode.HARD));
        admin.putBudget(new BudgetDefinition(
                unique("lock-\uD83D\uDE00"),
                new BudgetScope(null, flow),
                BudgetPeriod.DAY,
                new BigDecimal("1000"),
                BudgetMode.SOFT));
        // one project's decisions also book in a model budget (its window locked first), the other's only in the call
        // budgets; both kinds share the booking batches
        admin.putBudget(new BudgetDefinition(
                unique("lock-model"),
                new BudgetScope(withModelBudget, null, null, "acme", model),
                BudgetPeriod.DAY,
                new BigDecimal("1000"),
                BudgetMode.HARD));

        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String project = i % 2 == 0 ? withModelBudget : callBudgetsOnly;
            calls.add(() -> {
                long key = nextKey();
                return worker.decide(new DecisionRequest(
                                "ei:" + key + ":1",
                                project,
                                flow,
                                1L,
                                key,
                                "classify",
                                key,
                                null,
                                "classify",
                                null,
                                100,
                                100,
                                Map.of()))
                        .reasonMessage();
            });
        }

        // every decision allowed (no reason), none failed with a deadlock
        assertThat(race(calls)).containsOnlyNulls();
    }
}
