package io.aiops.policy.decisions;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RESERVATIONS;
import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.domain.ModelPricing;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionApiTest extends PolicyServerTest {

    private ModelPrice model(String provider, String model, String input, String output, LocalDate deprecation) {
        return admin.putModel(new ModelPrice(
                provider, model, new BigDecimal(input), new BigDecimal(output), null, null, null, deprecation));
    }

    /** The same request with a model hint. */
    private static DecisionRequest withHint(DecisionRequest base, String modelHint) {
        return new DecisionRequest(
                base.idempotencyKey(),
                base.project(),
                base.bpmnProcessId(),
                base.processDefinitionKey(),
                base.processInstanceKey(),
                base.elementId(),
                base.elementInstanceKey(),
                null,
                base.taskKind(),
                modelHint,
                base.estimatedInputTokens(),
                base.maxOutputTokens(),
                null);
    }

    @Test
    void routingPolicyGivesOrderedCandidatesAndReservesTheWorstCase() {
        String project = unique("proj");
        model("acme", "fast-" + project, "0.000001", "0.000002", null);
        model("acme", "smart-" + project, "0.00001", "0.00003", null);
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"),
                project,
                "classify",
                List.of(
                        new RoutingPolicy.Target("acme", "fast-" + project, 5_000L),
                        new RoutingPolicy.Target("acme", "smart-" + project, null))));

        Decision decision = worker.decide(request(project, "classify", 1000, 200));

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.candidates())
                .containsExactly(
                        new Decision.Candidate("acme", "fast-" + project, 200, 5_000),
                        new Decision.Candidate("acme", "smart-" + project, 200, 60_000));
        // worst case over candidates: 1000 * 0.00001 + 200 * 0.00003 = 0.016
        assertThat(decision.reservation().amountUsd()).isEqualByComparingTo("0.016");
        assertThat(decision.reservation().expiresAt()).isEqualTo(CLOCK.instant().plus(Duration.ofMinutes(15)));
    }

    @Test
    void modelHintGoesFirstAndRetiredModelsAreDropped() {
        String project = unique("proj");
        model("acme", "old-" + project, "0.000001", "0.000001", LocalDate.parse("2026-01-01"));
        model("acme", "new-" + project, "0.000002", "0.000002", null);
        model("acme", "hinted-" + project, "0.000003", "0.000003", null);
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"),
                project,
                null,
                List.of(
                        new RoutingPolicy.Target("acme", "old-" + project, null),
                        new RoutingPolicy.Target("acme", "new-" + project, null))));
        DecisionRequest base = request(project, "summarise", 100, 100);
        DecisionRequest hinted = withHint(base, "hinted-" + project);

        Decision decision = worker.decide(hinted);

        assertThat(decision.candidates())
                .extracting(Decision.Candidate::model)
                .containsExactly("hinted-" + project, "new-" + project);
    }

    @Test
    void onlyRetiredCandidatesDenyWithModelRetired() {
        String project = unique("proj");
        model("acme", "gone-" + project, "0.000001", "0.000001", LocalDate.parse("2026-11-26"));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"),
                project,
                "classify",
                List.of(new RoutingPolicy.Target("acme", "gone-" + project, null))));

        Decision decision = worker.decide(request(project, "classify", 10, 10));

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo(DenialReason.MODEL_RETIRED);
        assertThat(decision.reservation()).isNull();
    }

    @Test
    void aBlockingPolicyDeniesWithItsReasonWhateverModelTheTaskHints() {
        String project = unique("proj");
        model("acme", "any-" + project, "0.000001", "0.000001", null);
        admin.putRoutingPolicy(RoutingPolicy.blocking(
                unique("route"), project, "generate", "legal texts are written by people (policy LEG-7)"));
        DecisionRequest base = request(project, "generate", 10, 10);
        DecisionRequest hinted = withHint(base, "any-" + project);

        Decision decision = worker.decide(hinted);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo(DenialReason.POLICY_DENIED);
        assertThat(decision.reasonMessage()).contains("legal texts are written by people (policy LEG-7)");
        assertThat(decision.candidates()).isEmpty();
        assertThat(decision.reservation()).isNull();
        // the block is about generating: the project's other task kinds are routed as before
        assertThat(worker.decide(request(project, "classify", 10, 10)).allowed())
                .isTrue();
    }

    @Test
    void withoutPolicyTheCheapestCurrentCatalogModelIsChosen() {
        Decision decision = worker.decide(request(unique("proj"), "classify", 1_000_000, 1));

        // the catalog's cheapest model for this call among those not retired, reserved at its worst case
        LocalDate today = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
        BigDecimal cheapest = viewer.models(null, null, 0, 500).models().stream()
                .map(ModelPricing::new)
                .filter(m -> !m.retiredOn(today))
                .map(m -> m.worstCaseCost(1_000_000, 1))
                .min(BigDecimal::compareTo)
                .orElseThrow();
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.candidates()).hasSize(1);
        assertThat(decision.reservation().amountUsd()).isEqualByComparingTo(cheapest);
        ModelPricing chosen = new ModelPricing(viewer.getModel(
                decision.candidates().getFirst().provider(),
                decision.candidates().getFirst().model()));
        assertThat(chosen.worstCaseCost(1_000_000, 1)).isEqualByComparingTo(cheapest);
        assertThat(chosen.retiredOn(today)).isFalse();
    }

    @Test
    void hardBudgetDeniesOnceItsLimitWouldBeExceeded() {
        String project = unique("proj");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        // each decision reserves 1000 * 0.000001 + 500 * 0.000002 = 0.002; the limit holds two of them
        String budgetId = budget(project, "0.005", BudgetMode.HARD);

        Decision first = worker.decide(request(project, "classify", 1000, 500));
        Decision second = worker.decide(request(project, "classify", 1000, 500));
        Decision third = worker.decide(request(project, "classify", 1000, 500));

        assertThat(first.allowed()).isTrue();
        assertThat(second.allowed()).isTrue();
        assertThat(third.allowed()).isFalse();
        assertThat(third.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(third.reasonMessage()).contains(budgetId);
        assertThat(third.reservation()).isNull();
        assertThat(third.candidates()).isEmpty();
        BudgetStatus status = admin.getBudget(budgetId);
        assertThat(status.reservedUsd()).isEqualByComparingTo("0.004");
        assertThat(status.spentUsd()).isEqualByComparingTo("0");
        assertThat(status.remainingUsd()).isEqualByComparingTo("0.001");
    }

    @Test
    void softBudgetAndBudgetsOfOtherScopesNeverDeny() {
        String project = unique("proj");
        routeProjectTo(project, "m-" + project, "0.000001", "0.000002");
        String soft = budget(project, "0.001", BudgetMode.SOFT);
        admin.putBudget(new BudgetDefinition(
                unique("other"),
                new BudgetScope(project, "another-process"),
                BudgetPeriod.DAY,
                new BigDecimal("0.000001"),
                BudgetMode.HARD));

        Decision first = worker.decide(request(project, "classify", 1000, 500));
        Decision second = worker.decide(request(project, "classify", 1000, 500));

        assertThat(first.allowed()).isTrue();
        assertThat(second.allowed()).isTrue();
        assertThat(admin.getBudget(soft).reservedUsd()).isEqualByComparingTo("0.004");
    }

    @Test
    void sameIdempotencyKeyReturnsTheSameDecisionAndOneReservation() {
        String project = unique("proj");
        DecisionRequest request = request(project, "classify", 100, 100);

        Decision first = worker.decide(request);
        Decision again = worker.decide(request);

        assertThat(again.decisionId()).isEqualTo(first.decisionId());
        assertThat(again.reservation().id()).isEqualTo(first.reservation().id());
        assertThat(again.reservation().amountUsd())
                .isEqualByComparingTo(first.reservation().amountUsd());
        assertThat(again.candidates()).isEqualTo(first.candidates());
        assertThat(db.fetchCount(RESERVATIONS, RESERVATIONS.DECISION_ID.eq(first.decisionId())))
                .isEqualTo(1);
    }
}
