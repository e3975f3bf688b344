package io.aiops.policy.decisions;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.BUDGETS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decisions reuse routing policies, prices and budget definitions for up to a second, yet a change through the API
 * applies to the next decision on this instance, and the HARD limit is enforced exactly even when the definitions
 * are cached (a change made elsewhere, here written straight to the database as another replica would).
 */
class DecisionDefinitionsCacheTest extends PolicyServerTest {

    @Test
    void aLoweredHardLimitAppliesToTheNextDecisionEvenWithCachedDefinitions() {
        String project = unique("lowered");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        String cap = budget(project, "1", BudgetMode.HARD);
        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .isTrue();

        // another replica lowers the limit: this instance's cached definition still says 1 USD
        db.update(BUDGETS)
                .set(BUDGETS.LIMIT_USD, new BigDecimal("0.003"))
                .where(BUDGETS.ID.eq(cap))
                .execute();

        Decision next = worker.decide(request(project, "classify", 1000, 500));
        assertThat(next.allowed()).isFalse();
        assertThat(next.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(admin.getBudget(cap).reservedUsd()).isEqualByComparingTo("0.002");
    }

    @Test
    void changesThroughTheApiApplyToTheNextDecisionOnThisInstance() {
        String project = unique("changed");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .isTrue();

        String cap = budget(project, "0.001", BudgetMode.HARD);
        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .as("new budget")
                .isFalse();

        admin.putBudget(new BudgetDefinition(
                cap, new BudgetScope(project, null), BudgetPeriod.DAY, new BigDecimal("1"), BudgetMode.HARD));
        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .as("raised limit")
                .isTrue();

        admin.putModel(new ModelPrice(
                "acme",
                "other-" + project,
                new BigDecimal("0.000001"),
                new BigDecimal("0.000002"),
                null,
                null,
                null,
                null));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"),
                project,
                "summarise",
                List.of(new RoutingPolicy.Target("acme", "other-" + project, null))));
        assertThat(worker.decide(request(project, "summarise", 1000, 500)).candidates())
                .extracting(Decision.Candidate::model)
                .containsExactly("other-" + project);
    }

    @Test
    void aBudgetDefinedOnAnotherReplicaIsBookedAgainstWithinTheTtl() {
        String project = unique("elsewhere");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .isTrue();

        // written by another replica: this one does not hear of it
        String cap = unique("budget");
        db.insertInto(BUDGETS)
                .set(BUDGETS.ID, cap)
                .set(BUDGETS.SCOPE_PROJECT, project)
                .set(BUDGETS.PERIOD, BudgetPeriod.DAY.name())
                .set(BUDGETS.LIMIT_USD, new BigDecimal("0.001"))
                .set(BUDGETS.MODE, BudgetMode.HARD.name())
                .execute();
        CLOCK.advance(Duration.ofSeconds(1));

        assertThat(worker.decide(request(project, "classify", 1000, 500)).allowed())
                .isFalse();
    }
}
