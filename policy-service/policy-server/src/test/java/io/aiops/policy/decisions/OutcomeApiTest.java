package io.aiops.policy.decisions;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_ATTEMPTS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RESERVATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.api.SettledCall;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutcomeApiTest extends PolicyServerTest {

    private String project;
    private String model;
    private String budgetId;

    @BeforeEach
    void catalogAndBudget() {
        project = unique("proj");
        model = "priced-" + project;
        // cache writes fall back to the input price; reasoning has its own price
        admin.putModel(new ModelPrice(
                "acme",
                model,
                new BigDecimal("0.0000025"),
                new BigDecimal("0.00001"),
                new BigDecimal("0.00000125"),
                null,
                new BigDecimal("0.000012"),
                null));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"), project, null, List.of(new RoutingPolicy.Target("acme", model, null))));
        budgetId = unique("budget");
        admin.putBudget(new BudgetDefinition(
                budgetId, new BudgetScope(project, null), BudgetPeriod.DAY, new BigDecimal("1"), BudgetMode.HARD));
    }

    private CallOutcome failoverOutcome() {
        return new CallOutcome(
                List.of(
                        new CallOutcome.Attempt(
                                "acme", model, 1200L, 0L, 0L, 0L, 0L, 30_000L, CallStatus.FAILED, "TIMEOUT"),
                        new CallOutcome.Attempt(
                                "acme", model, 1500L, 1000L, 100L, 300L, 120L, 850L, CallStatus.SUCCEEDED, null)),
                Map.of("format", new BigDecimal("1.0")),
                "Classify: printer on fire",
                "{\"category\":\"hardware\"}");
    }

    @Test
    void costIsComputedExactlyFromTheCatalogAndSettlesTheReservation() {
        DecisionRequest request = request(project, "classify", 2000, 400);
        Decision decision = worker.decide(request);
        // 2000 * 0.0000025 + 400 * max(0.00001, 0.000012)
        assertThat(decision.reservation().amountUsd()).isEqualByComparingTo("0.0098");

        OutcomeReceipt receipt = worker.reportOutcome(decision.decisionId(), failoverOutcome());

        // attempt 1: 1200 * 0.0000025                                                    = 0.003
        // attempt 2: 400 * 0.0000025 + 1000 * 0.00000125 + 100 * 0.0000025 + 180 * 0.00001 + 120 * 0.000012
        //          = 0.001 + 0.00125 + 0.00025 + 0.0018 + 0.00144                       = 0.00574
        BigDecimal expected = new BigDecimal("0.00874");
        assertThat(receipt.costUsd()).isEqualByComparingTo(expected);
        assertThat(receipt.status()).isEqualTo(CallStatus.SUCCEEDED);
        assertThat(receipt.releasedUsd()).isEqualByComparingTo("0.00106");

        BudgetStatus budget = admin.getBudget(budgetId);
        assertThat(budget.spentUsd()).isEqualByComparingTo(expected);
        assertThat(budget.reservedUsd()).isEqualByComparingTo("0");
        assertThat(db.fetchValue(RESERVATIONS.STATUS, RESERVATIONS.DECISION_ID.eq(decision.decisionId())))
                .isEqualTo("SETTLED");

        List<CallRecord> calls = viewer.callsOfProcessInstance(request.processInstanceKey());
        assertThat(calls).hasSize(1);
        CallRecord call = calls.getFirst();
        assertThat(call.callId()).isEqualTo(receipt.callId());
        assertThat(call.elementId()).isEqualTo("classify");
        assertThat(call.elementInstanceKey()).isEqualTo(request.elementInstanceKey());
        assertThat(call.model()).isEqualTo(model);
        assertThat(call.inputTokens()).isEqualTo(2700);
        assertThat(call.outputTokens()).isEqualTo(300);
        assertThat(call.costUsd()).isEqualByComparingTo(expected);
        assertThat(call.attempts())
                .extracting(
                        CallRecord.AttemptRecord::attemptNo,
                        CallRecord.AttemptRecord::status,
                        CallRecord.AttemptRecord::errorClass)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, CallStatus.FAILED, "TIMEOUT"),
                        org.assertj.core.groups.Tuple.tuple(2, CallStatus.SUCCEEDED, null));
        assertThat(call.attempts().get(0).costUsd()).isEqualByComparingTo("0.003");
        assertThat(call.attempts().get(1).costUsd()).isEqualByComparingTo("0.00574");
        assertThat(db.fetchValue(CALLS.RESPONSE_TEXT, CALLS.ID.eq(receipt.callId())))
                .isEqualTo("{\"category\":\"hardware\"}");
    }

    @Test
    void theWorkersTraceIdIsStoredWithTheCallAndShownInTheCallHistory() {
        DecisionRequest traced = request(project, "classify", 100, 100);
        DecisionRequest untraced = request(project, "classify", 100, 100);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        worker.reportOutcome(
                worker.decide(traced).decisionId(), failoverOutcome().withTraceId(traceId));
        worker.reportOutcome(worker.decide(untraced).decisionId(), failoverOutcome());

        assertThat(viewer.callsOfProcessInstance(traced.processInstanceKey()))
                .singleElement()
                .extracting(CallRecord::traceId)
                .isEqualTo(traceId);
        assertThat(viewer.callsOfProcessInstance(untraced.processInstanceKey()))
                .singleElement()
                .extracting(CallRecord::traceId)
                .isNull();
    }

    @Test
    void secondOutcomeChangesNothingAndRedeliveredDecisionCarriesTheSettledCall() {
        DecisionRequest request = request(project, "classify", 2000, 400);
        Decision decision = worker.decide(request);
        OutcomeReceipt first = worker.reportOutcome(decision.decisionId(), failoverOutcome());
        BudgetStatus before = admin.getBudget(budgetId);
        int calls = db.fetchCount(CALLS);
        int attempts = db.fetchCount(CALL_ATTEMPTS);

        CallOutcome different = new CallOutcome(
                List.of(new CallOutcome.Attempt("acme", model, 9L, 0L, 0L, 9L, 0L, 1L, CallStatus.SUCCEEDED, null)),
                null,
                null,
                "other");
        OutcomeReceipt second = worker.reportOutcome(decision.decisionId(), different);

        assertThat(second).isEqualTo(first);
        assertThat(db.fetchCount(CALLS)).isEqualTo(calls);
        assertThat(db.fetchCount(CALL_ATTEMPTS)).isEqualTo(attempts);
        assertThat(admin.getBudget(budgetId)).isEqualTo(before);

        Decision redelivered = worker.decide(request);
        assertThat(redelivered.decisionId()).isEqualTo(decision.decisionId());
        assertThat(redelivered.settledCall())
                .isEqualTo(new SettledCall(
                        first.callId(),
                        CallStatus.SUCCEEDED,
                        "acme",
                        model,
                        first.costUsd(),
                        "{\"category\":\"hardware\"}"));
    }

    @Test
    void allAttemptsFailedRecordsAFailedCallOnTheLastModel() {
        Decision decision = worker.decide(request(project, "classify", 100, 100));
        OutcomeReceipt receipt = worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(
                                new CallOutcome.Attempt(
                                        "acme", model, 0L, 0L, 0L, 0L, 0L, 10L, CallStatus.FAILED, "RATE_LIMITED"),
                                new CallOutcome.Attempt(
                                        "openai",
                                        "gpt-4o-mini",
                                        0L,
                                        0L,
                                        0L,
                                        0L,
                                        0L,
                                        10L,
                                        CallStatus.FAILED,
                                        "SERVER_ERROR")),
                        null,
                        "prompt",
                        null));

        assertThat(receipt.status()).isEqualTo(CallStatus.FAILED);
        assertThat(receipt.costUsd()).isEqualByComparingTo("0");
        assertThat(db.fetchValue(CALLS.MODEL, CALLS.ID.eq(receipt.callId()))).isEqualTo("gpt-4o-mini");
    }

    @Test
    void unknownDecisionIsNotFound() {
        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class, () -> worker.reportOutcome(UUID.randomUUID(), failoverOutcome()));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.type()).isEqualTo("https://aiops.io/problems/not-found");
    }

    @Test
    void outcomeOfDeniedDecisionIsAConflict() {
        admin.putBudget(new BudgetDefinition(
                budgetId,
                new BudgetScope(project, null),
                BudgetPeriod.DAY,
                new BigDecimal("0.000001"),
                BudgetMode.HARD));
        Decision denied = worker.decide(request(project, "classify", 2000, 400));
        assertThat(denied.allowed()).isFalse();
        int calls = db.fetchCount(CALLS);

        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class, () -> worker.reportOutcome(denied.decisionId(), failoverOutcome()));

        assertThat(e.status()).isEqualTo(409);
        assertThat(db.fetchCount(CALLS)).isEqualTo(calls);
    }

    @Test
    void unknownModelIsRejectedNamingTheAttemptAndWritesNothing() {
        Decision decision = worker.decide(request(project, "classify", 100, 100));
        int calls = db.fetchCount(CALLS);
        CallOutcome outcome = new CallOutcome(
                List.of(
                        new CallOutcome.Attempt(
                                "acme", model, 10L, 0L, 0L, 10L, 0L, 10L, CallStatus.FAILED, "SERVER_ERROR"),
                        new CallOutcome.Attempt(
                                "acme", "no-such-model", 10L, 0L, 0L, 10L, 0L, 10L, CallStatus.SUCCEEDED, null)),
                null,
                null,
                null);

        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class, () -> worker.reportOutcome(decision.decisionId(), outcome));

        assertThat(e.status()).isEqualTo(422);
        assertThat(e.field()).isEqualTo("attempts[1].model");
        assertThat(db.fetchCount(CALLS)).isEqualTo(calls);
        assertThat(admin.getBudget(budgetId).spentUsd()).isEqualByComparingTo("0");
        assertThat(db.fetchValue(RESERVATIONS.STATUS, RESERVATIONS.DECISION_ID.eq(decision.decisionId())))
                .isEqualTo("OPEN");
    }

    @Test
    void oneHourCacheWritesAndAServiceTierArePricedAtTheirOwnPricesAndKeptInTheLedger() {
        String project = unique("tiers");
        String model = unique("tiered");
        admin.putModel(new ModelPrice(
                "acme",
                model,
                new BigDecimal("0.000003"),
                new BigDecimal("0.000015"),
                new BigDecimal("0.0000003"),
                new BigDecimal("0.00000375"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new BigDecimal("0.000006"),
                Map.of(
                        "priority",
                        new ModelPrice.TierPrices(new BigDecimal("0.000005"), new BigDecimal("0.000025"), null))));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"), project, null, List.of(new RoutingPolicy.Target("acme", model, null))));
        Decision decision = worker.decide(request(project, "classify", 4000, 100));

        OutcomeReceipt receipt = worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme",
                                model,
                                3040L,
                                0L,
                                3000L,
                                12L,
                                0L,
                                900L,
                                CallStatus.SUCCEEDED,
                                null,
                                2000L,
                                "priority")),
                        Map.of(),
                        "prompt",
                        "billing"));

        // 40 * 0.000005 (priority input) + 1000 * 0.00000375 + 2000 * 0.000006 + 12 * 0.000025 (priority output)
        assertThat(receipt.costUsd()).isEqualByComparingTo("0.01625");
        var stored = db.fetchOne(
                "select cache_write_1h_input_tokens, service_tier from call_attempts where call_id = ?",
                receipt.callId());
        assertThat(stored.get(0, Long.class)).isEqualTo(2000L);
        assertThat(stored.get(1, String.class)).isEqualTo("priority");
        // more 1-hour writes than writes is refused naming the field
        Decision next = worker.decide(request(project, "classify", 4000, 100));
        assertThatThrownBy(() -> worker.reportOutcome(
                        next.decisionId(),
                        new CallOutcome(
                                List.of(new CallOutcome.Attempt(
                                        "acme",
                                        model,
                                        3040L,
                                        0L,
                                        3000L,
                                        12L,
                                        0L,
                                        900L,
                                        CallStatus.SUCCEEDED,
                                        null,
                                        3001L,
                                        null)),
                                Map.of(),
                                "prompt",
                                "billing")))
                .isInstanceOfSatisfying(
                        PolicyServiceException.class,
                        e -> assertThat(e.field()).isEqualTo("attempts[0].cacheWrite1hInputTokens"));
    }

    @Test
    void seededClaudeModelsPriceOneHourCacheWritesAtTwiceTheirInputPrice() {
        ModelPrice sonnet = viewer.getModel("anthropic", "claude-sonnet-4-5");

        assertThat(sonnet.cacheWrite1hPerToken())
                .isEqualByComparingTo(sonnet.inputPerToken().multiply(BigDecimal.TWO));
        assertThat(viewer.getModel("openai", "gpt-5").serviceTiers().get("flex").inputPerToken())
                .isEqualByComparingTo(
                        viewer.getModel("openai", "gpt-5").inputPerToken().divide(BigDecimal.TWO));
    }
}
