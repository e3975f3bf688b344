package io.aiops.policy.application.service;

import static io.aiops.policy.application.service.InMemoryPolicyServer.WORKER;
import static io.aiops.policy.application.service.InMemoryPolicyServer.attempt;
import static io.aiops.policy.application.service.InMemoryPolicyServer.call;
import static io.aiops.policy.application.service.InMemoryPolicyServer.modelScope;
import static io.aiops.policy.application.service.InMemoryPolicyServer.outcome;
import static io.aiops.policy.application.service.InMemoryPolicyServer.projectScope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.Decision.Candidate;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.api.OnPolicyUnavailable;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.SettledCall;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.ReservationStore.HeldReservation;
import io.aiops.policy.application.port.out.ReservationStore.Hold;
import io.aiops.policy.application.port.out.ReservationStore.Status;
import io.aiops.policy.support.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every branch of {@link DecisionService#decide}: routing and its refusals, call budgets booked through
 * {@link DecisionBooker}, model budgets, idempotent redelivery (also after expiry and after the outcome) and budget
 * definitions that changed under a decision. In-memory ports, the test's clock; no Spring, no database.
 *
 * <p>Prices: {@code small} costs up to 0.002 USD for the default call (1000 in at 0.000001, 500 out at 0.000002),
 * {@code large} up to 0.02 USD (0.00001 and 0.00002).
 */
class DecisionServiceTest {

    private static final String PROJECT = "shop";
    private static final Instant START = Instant.parse("2026-03-10T09:00:00Z");
    private static final String TODAY = "2026-03-10T00:00:00Z";

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryPolicyServer server = new InMemoryPolicyServer(clock);

    private void smallAndLarge() {
        server.model("small", "0.000001", "0.000002");
        server.model("large", "0.00001", "0.00002");
    }

    private Decision decide(String key) {
        return server.decisions.decide(call(key, PROJECT), WORKER);
    }

    private static List<String> models(Decision decision) {
        return decision.candidates().stream().map(Candidate::model).toList();
    }

    private HeldReservation reservationOf(Decision decision) {
        return server.db.reservations.findByDecision(decision.decisionId()).orElseThrow();
    }

    private List<String> events(Decision decision) {
        return server.db.reservations.events(reservationOf(decision).id()).stream()
                .map(Object::toString)
                .toList();
    }

    private static String hardBudgetMessage(String id, String limit, String window, String left, String cost) {
        return "HARD budget '" + id + "' (DAY limit " + limit + " USD, window from " + window + ") has " + left
                + " USD left; this call may cost up to " + cost + " USD";
    }

    // ---- allowed

    @Test
    void anAllowedCallGetsThePolicysCandidatesInOrderAndReservesTheWorstCaseInEveryCoveringBudget() {
        smallAndLarge();
        server.route(PROJECT, "large", "small");
        server.budget("shop-cap", projectScope(PROJECT), "10", BudgetMode.HARD);
        server.budget("org-soft", new BudgetScope(null, null), "100", BudgetMode.SOFT);

        Decision decision = decide("job-1");

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.reason()).isNull();
        assertThat(decision.candidates())
                .containsExactly(
                        new Candidate("acme", "large", 500, 30_000), new Candidate("acme", "small", 500, 30_000));
        assertThat(decision.reservation().amountUsd()).isEqualTo(new BigDecimal("0.02"));
        assertThat(decision.reservation().expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(15)));
        assertThat(decision.settledCall()).isNull();
        assertThat(server.today("shop-cap").reservedUsd()).isEqualByComparingTo("0.02");
        assertThat(server.today("org-soft").reservedUsd()).isEqualByComparingTo("0.02");
        HeldReservation reservation = reservationOf(decision);
        assertThat(reservation.id()).isEqualTo(decision.reservation().id());
        assertThat(reservation.status()).isEqualTo(Status.OPEN);
        assertThat(reservation.holds())
                .extracting(Hold::budgetId, Hold::amountUsd)
                .containsExactly(
                        tuple("org-soft", new BigDecimal("0.020000000000")),
                        tuple("shop-cap", new BigDecimal("0.020000000000")));
    }

    @Test
    void budgetsOfOtherScopesNeitherDenyNorHoldAnything() {
        smallAndLarge();
        server.route(PROJECT, "small");
        server.budget("other-project", projectScope("other"), "0.000001", BudgetMode.HARD);
        server.budget("other-flow", new BudgetScope(PROJECT, "other-flow"), "0.000001", BudgetMode.HARD);

        Decision decision = decide("job-1");

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.reservation().amountUsd()).isEqualTo(new BigDecimal("0.002"));
        assertThat(reservationOf(decision).holds()).isEmpty();
        assertThat(server.today("other-project").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.today("other-flow").reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void withoutARoutingPolicyTheCheapestModelStillInServiceIsChosen() {
        smallAndLarge();
        server.model("ancient", "0.0000001", "0.0000001", LocalDate.parse("2026-01-01"));

        Decision decision = decide("job-1");

        assertThat(decision.allowed()).isTrue();
        assertThat(models(decision)).containsExactly("small");
        assertThat(decision.reservation().amountUsd()).isEqualTo(new BigDecimal("0.002"));
    }

    @Test
    void modelsWhoseCircuitIsOpenOnTheWorkersGoToTheEndOfTheChain() {
        smallAndLarge();
        server.model("medium", "0.000005", "0.00001");
        server.route(PROJECT, "large", "medium", "small");
        server.openModels.add("acme/large");

        Decision decision = decide("job-1");

        assertThat(models(decision)).containsExactly("medium", "small", "large");
        assertThat(decision.reservation().amountUsd()).isEqualTo(new BigDecimal("0.02"));
    }

    @Test
    void aCallWithoutSizesIsReservedForTheDefaultOutputAndABlankModelHintIsIgnored() {
        smallAndLarge();
        server.route(PROJECT, "large", "small");
        DecideCommand bare = new DecideCommand(
                "job-1",
                PROJECT,
                new ProcessCoordinates("flow", null, null, 100L, "classify-it", 200L, 300L, null),
                "classify",
                "  ",
                null,
                null,
                null);

        Decision decision = server.decisions.decide(bare, WORKER);

        assertThat(models(decision)).containsExactly("large", "small");
        assertThat(decision.candidates())
                .allSatisfy(c -> assertThat(c.maxOutputTokens()).isEqualTo(1024));
        // 0 input tokens, 1024 output tokens at 0.00002
        assertThat(decision.reservation().amountUsd()).isEqualTo(new BigDecimal("0.02048"));
    }

    // ---- denied

    @Test
    void aHardBudgetWithoutRoomForTheWorstCaseDeniesWithBudgetExceededAndHoldsNothing() {
        smallAndLarge();
        server.route(PROJECT, "small");
        server.budget("cap", projectScope(PROJECT), "0.003", BudgetMode.HARD);
        assertThat(decide("job-1").allowed()).isTrue();

        Decision denied = decide("job-2");

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(denied.reasonMessage()).isEqualTo(hardBudgetMessage("cap", "0.003", TODAY, "0.001", "0.002"));
        assertThat(denied.candidates()).isEmpty();
        assertThat(denied.reservation()).isNull();
        assertThat(denied.failOpen()).isNull();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(server.db.reservations.findByDecision(denied.decisionId())).isEmpty();
    }

    @Test
    void aSoftBudgetPastItsLimitNeverDeniesAndKeepsCountingTheReservations() {
        smallAndLarge();
        server.route(PROJECT, "small");
        server.budget("soft", projectScope(PROJECT), "0.003", BudgetMode.SOFT);

        List<Decision> decisions = List.of(decide("job-1"), decide("job-2"), decide("job-3"));

        assertThat(decisions).allSatisfy(d -> assertThat(d.allowed()).isTrue());
        assertThat(server.today("soft").reservedUsd()).isEqualByComparingTo("0.006");
    }

    @Test
    void aRoutingPolicyThatNamesNoCatalogModelDeniesWithPolicyDenied() {
        smallAndLarge();
        server.route(PROJECT, "ghost");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);

        Decision denied = decide("job-1");

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo(DenialReason.POLICY_DENIED);
        assertThat(denied.reasonMessage()).isEqualTo("routing policy 'route-shop' names no model of the catalog");
        assertThat(denied.candidates()).isEmpty();
        assertThat(denied.reservation()).isNull();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.db
                        .decisions
                        .findById(denied.decisionId())
                        .orElseThrow()
                        .decision()
                        .reason())
                .isEqualTo(io.aiops.policy.domain.call.DenialReason.POLICY_DENIED);
    }

    @Test
    void anEmptyCatalogWithoutARoutingPolicyDeniesWithPolicyDenied() {
        Decision denied = decide("job-1");

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo(DenialReason.POLICY_DENIED);
        assertThat(denied.reasonMessage()).isEqualTo("the model catalog is empty and no routing policy matches");
    }

    @Test
    void aPolicyWhoseEveryModelIsPastItsDeprecationDateDeniesWithModelRetired() {
        server.model("old", "0.000001", "0.000002", LocalDate.parse("2026-03-10"));
        server.model("older", "0.000001", "0.000002", LocalDate.parse("2026-02-01"));
        server.route(PROJECT, "old", "older");

        Decision denied = decide("job-1");

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo(DenialReason.MODEL_RETIRED);
        assertThat(denied.reasonMessage())
                .isEqualTo("every candidate model is past its deprecation date: [acme/old, acme/older]");
    }

    @Test
    void aCatalogWhoseEveryModelIsPastItsDeprecationDateDeniesWithModelRetired() {
        server.model("old", "0.000001", "0.000002", LocalDate.parse("2026-03-10"));

        Decision denied = decide("job-1");

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo(DenialReason.MODEL_RETIRED);
        assertThat(denied.reasonMessage()).isEqualTo("every catalog model is past its deprecation date");
    }

    @Test
    void anApiKeyLimitedToAnotherProjectIsRefusedAndNothingIsStored() {
        smallAndLarge();
        ApiPrincipal otherProjectsKey = new ApiPrincipal(UUID.randomUUID(), "other", ApiRole.WORKER, List.of("other"));

        RequestRejected rejected = catchThrowableOfType(
                RequestRejected.class, () -> server.decisions.decide(call("job-1", PROJECT), otherProjectsKey));

        assertThat(rejected.kind()).isEqualTo(RequestRejected.Kind.FORBIDDEN);
        assertThat(rejected.field()).isEqualTo("project");
        assertThat(server.db.decisions.count()).isZero();
    }

    // ---- model budgets

    @Test
    void aModelBudgetHoldsOnlyItsModelsWorstCaseWhileCallBudgetsHoldTheWholeCall() {
        smallAndLarge();
        server.route(PROJECT, "large", "small");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        server.budget("m-large", modelScope(PROJECT, "large"), "0.05", BudgetMode.HARD);
        server.budget("m-small", modelScope(PROJECT, "small"), "1", BudgetMode.HARD);

        Decision decision = decide("job-1");

        assertThat(decision.allowed()).isTrue();
        assertThat(models(decision)).containsExactly("large", "small");
        assertThat(decision.reservation().amountUsd()).isEqualTo(new BigDecimal("0.02"));
        assertThat(server.today("m-large").reservedUsd()).isEqualByComparingTo("0.02");
        assertThat(server.today("m-small").reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.02");
        // model budgets first, then the others: the order every transaction locks window rows in
        assertThat(reservationOf(decision).holds())
                .extracting(Hold::budgetId, Hold::modelName)
                .containsExactly(tuple("m-large", "large"), tuple("m-small", "small"), tuple("cap", null));
    }

    @Test
    void aModelBudgetOfAModelThatIsNoCandidateHoldsNothing() {
        smallAndLarge();
        server.route(PROJECT, "small");
        server.budget("m-large", modelScope(PROJECT, "large"), "0.000001", BudgetMode.HARD);

        Decision decision = decide("job-1");

        assertThat(decision.allowed()).isTrue();
        assertThat(models(decision)).containsExactly("small");
        assertThat(server.today("m-large").reservedUsd()).isEqualByComparingTo("0");
        assertThat(reservationOf(decision).holds()).isEmpty();
    }

    @Test
    void aModelBudgetWithoutRoomDropsItsModelAndTheCallGoesToTheOthersAlsoWhenRedelivered() {
        smallAndLarge();
        server.route(PROJECT, "large", "small");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        server.budget("m-large", modelScope(PROJECT, "large"), "0.03", BudgetMode.HARD);
        assertThat(models(decide("job-1"))).containsExactly("large", "small");

        Decision second = decide("job-2");

        assertThat(second.allowed()).isTrue();
        assertThat(models(second)).containsExactly("small");
        assertThat(second.reservation().amountUsd()).isEqualTo(new BigDecimal("0.002"));
        assertThat(server.today("m-large").reservedUsd()).isEqualByComparingTo("0.02");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.022");
        assertThat(models(decide("job-2"))).as("the narrowed chain is stored").containsExactly("small");
    }

    @Test
    void whenNoCandidateFitsItsModelBudgetTheCallIsDeniedNamingEveryBudget() {
        smallAndLarge();
        server.route(PROJECT, "large", "small");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        server.budget("m-large", modelScope(PROJECT, "large"), "0.01", BudgetMode.HARD);
        server.budget("m-small", modelScope(PROJECT, "small"), "0.001", BudgetMode.HARD);

        Decision denied = decide("job-1");

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(denied.reasonMessage())
                .isEqualTo("no candidate model fits its model budget: "
                        + hardBudgetMessage("m-large", "0.01", TODAY, "0.01", "0.02") + "; "
                        + hardBudgetMessage("m-small", "0.001", TODAY, "0.001", "0.002"));
        assertThat(denied.candidates()).isEmpty();
        assertThat(denied.reservation()).isNull();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.db.reservations.findByDecision(denied.decisionId())).isEmpty();
        assertThat(decide("job-1")).as("stored as a denial").isEqualTo(denied);
    }

    @Test
    void aDenialBecauseNoCandidateFitsGivesBackWhatEarlierModelBudgetsHeld() {
        smallAndLarge();
        server.route(PROJECT, "small");
        server.budget("a-small-org", new BudgetScope(null, null, null, null, "small"), "1", BudgetMode.HARD);
        server.budget("b-small-shop", modelScope(PROJECT, "small"), "0.001", BudgetMode.HARD);

        Decision denied = decide("job-1");

        assertThat(denied.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(denied.reasonMessage()).contains("'b-small-shop'").doesNotContain("'a-small-org'");
        assertThat(server.today("a-small-org").reservedUsd())
                .as("the hold made before the denial is given back")
                .isEqualByComparingTo("0");
    }

    @Test
    void aModelBudgetHoldIsGivenBackWhenALaterModelBudgetDropsItsModel() {
        smallAndLarge();
        server.route(PROJECT, "large", "small");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        server.budget("a-large-org", new BudgetScope(null, null, null, "acme", "large"), "1", BudgetMode.HARD);
        server.budget("b-large-shop", modelScope(PROJECT, "large"), "0.01", BudgetMode.HARD);

        Decision decision = decide("job-1");

        assertThat(decision.allowed()).isTrue();
        assertThat(models(decision)).containsExactly("small");
        assertThat(decision.reservation().amountUsd()).isEqualTo(new BigDecimal("0.002"));
        assertThat(server.today("a-large-org").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.today("b-large-shop").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(reservationOf(decision).holds()).extracting(Hold::budgetId).containsExactly("cap");
    }

    @Test
    void aCallBudgetWithoutRoomAfterTheModelBudgetsDeniesAndUndoesEveryHoldAndTheReservation() {
        smallAndLarge();
        server.route(PROJECT, "large", "small");
        server.budget("m-large", modelScope(PROJECT, "large"), "1", BudgetMode.HARD);
        server.budget("a-cap", new BudgetScope(null, null), "1", BudgetMode.HARD);
        server.budget("b-cap", projectScope(PROJECT), "0.01", BudgetMode.HARD);

        Decision denied = decide("job-1");

        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(denied.reasonMessage()).isEqualTo(hardBudgetMessage("b-cap", "0.01", TODAY, "0.01", "0.02"));
        assertThat(denied.reservation()).isNull();
        assertThat(server.today("m-large").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.today("a-cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.today("b-cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.db.reservations.findByDecision(denied.decisionId())).isEmpty();
        assertThat(decide("job-1")).as("stored as a denial").isEqualTo(denied);
    }

    // ---- redelivery

    @Test
    void aRedeliveredRequestGetsTheSameDecisionAndHoldsNoMoreMoney() {
        smallAndLarge();
        server.route(PROJECT, "large", "small");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        Decision first = decide("job-1");
        clock.advance(Duration.ofMinutes(1));

        Decision again = decide("job-1");

        assertThat(again).isEqualTo(first);
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.02");
        assertThat(server.db.decisions.count()).isEqualTo(1);
    }

    @Test
    void aRedeliveredDenialStaysDeniedAfterTheBudgetGotRoomAgain() {
        smallAndLarge();
        server.route(PROJECT, "small");
        server.budget("cap", projectScope(PROJECT), "0.003", BudgetMode.HARD);
        decide("job-1");
        Decision denied = decide("job-2");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);

        Decision again = decide("job-2");

        assertThat(again).isEqualTo(denied);
        assertThat(again.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.002");
    }

    @Test
    void aRedeliveredRoutingDenialGetsTheStoredDenial() {
        smallAndLarge();
        server.route(PROJECT, "ghost");
        Decision denied = decide("job-1");

        assertThat(decide("job-1")).isEqualTo(denied);
        assertThat(server.db.decisions.count()).isEqualTo(1);
    }

    static Stream<Arguments> otherCalls() {
        return Stream.of(
                Arguments.of(
                        "another process instance",
                        (UnaryOperator<DecideCommand>) c -> copy(
                                c,
                                101L,
                                c.where().elementInstanceKey(),
                                c.where().bpmnProcessId(),
                                c.taskKind()),
                        "processInstanceKey 100 before, 101 now"),
                Arguments.of(
                        "another element instance",
                        (UnaryOperator<DecideCommand>) c -> copy(
                                c,
                                c.where().processInstanceKey(),
                                201L,
                                c.where().bpmnProcessId(),
                                c.taskKind()),
                        "elementInstanceKey 200 before, 201 now"),
                Arguments.of(
                        "another workflow",
                        (UnaryOperator<DecideCommand>) c -> copy(
                                c,
                                c.where().processInstanceKey(),
                                c.where().elementInstanceKey(),
                                "other-flow",
                                c.taskKind()),
                        "bpmnProcessId 'flow' before, 'other-flow' now"),
                Arguments.of(
                        "another task kind",
                        (UnaryOperator<DecideCommand>) c -> copy(
                                c,
                                c.where().processInstanceKey(),
                                c.where().elementInstanceKey(),
                                c.where().bpmnProcessId(),
                                "summarise"),
                        "taskKind 'classify' before, 'summarise' now"));
    }

    /** A call to "small" under a 1 USD HARD cap, decided for job-1, whose reservation then expired. */
    private Decision decidedAndExpired() {
        smallAndLarge();
        server.route(PROJECT, "small");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        Decision first = decide("job-1");
        clock.advance(Duration.ofMinutes(16));
        server.expiry.expireDue();
        return first;
    }

    private static DecideCommand copy(
            DecideCommand c, Long processInstanceKey, Long elementInstanceKey, String bpmnProcessId, String taskKind) {
        ProcessCoordinates w = c.where();
        return new DecideCommand(
                c.idempotencyKey(),
                c.project(),
                new ProcessCoordinates(
                        bpmnProcessId,
                        w.processDefinitionKey(),
                        null,
                        processInstanceKey,
                        w.elementId(),
                        elementInstanceKey,
                        w.jobKey(),
                        null),
                taskKind,
                c.modelHint(),
                c.estimatedInputTokens(),
                c.maxOutputTokens(),
                c.tags());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherCalls")
    void aKeyReusedForAnotherCallIsAConflictNamingTheDifferenceAndChangesNothing(
            String name, UnaryOperator<DecideCommand> other, String difference) {
        smallAndLarge();
        server.route(PROJECT, "small");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        decide("job-1");

        RequestRejected rejected = catchThrowableOfType(
                RequestRejected.class, () -> server.decisions.decide(other.apply(call("job-1", PROJECT)), WORKER));

        assertThat(rejected.kind()).isEqualTo(RequestRejected.Kind.CONFLICT);
        assertThat(rejected.field()).isEqualTo("idempotencyKey");
        assertThat(rejected.getMessage())
                .isEqualTo("idempotencyKey 'job-1' was used for another call (" + difference
                        + "); use a key per job or element instance");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(server.db.decisions.count()).isEqualTo(1);
    }

    @Test
    void aKeyTakenByADecisionOfAnotherProjectIsForbidden() {
        smallAndLarge();
        server.route(PROJECT, "small");
        decide("job-1");

        RequestRejected rejected = catchThrowableOfType(
                RequestRejected.class, () -> server.decisions.decide(call("job-1", "other"), WORKER));

        assertThat(rejected.kind()).isEqualTo(RequestRejected.Kind.FORBIDDEN);
        assertThat(rejected.field()).isEqualTo("idempotencyKey");
        assertThat(rejected.getMessage()).isEqualTo("idempotencyKey is taken by a decision of another project");
    }

    @Test
    void aRedeliveryDifferingOnlyInJobKeySizesOrHintGetsTheStoredDecision() {
        smallAndLarge();
        server.route(PROJECT, "large", "small");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        Decision first = decide("job-1");
        DecideCommand c = call("job-1", PROJECT);
        DecideCommand retried = new DecideCommand(
                c.idempotencyKey(),
                c.project(),
                c.where().withJobKey(301L),
                c.taskKind(),
                "small",
                5000,
                2000,
                c.tags());

        Decision again = server.decisions.decide(retried, WORKER);

        assertThat(again).isEqualTo(first);
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.02");
    }

    @Test
    void aRedeliveryAfterTheOutcomeCarriesTheSettledCall() {
        smallAndLarge();
        server.route(PROJECT, "small");
        Decision first = decide("job-1");
        OutcomeReceipt receipt = server.outcomes.recordOutcome(
                first.decisionId(), outcome(attempt("small", 800, 300, CallStatus.SUCCEEDED)), WORKER);

        Decision again = decide("job-1");

        assertThat(again.decisionId()).isEqualTo(first.decisionId());
        assertThat(again.allowed()).isTrue();
        assertThat(again.settledCall())
                .isEqualTo(new SettledCall(
                        receipt.callId(), CallStatus.SUCCEEDED, "acme", "small", new BigDecimal("0.0014"), "answer"));
    }

    @Test
    void aRedeliveryAfterTheReservationExpiredHoldsTheSameAmountAgainWithANewExpiry() {
        Decision first = decidedAndExpired();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");

        Decision again = decide("job-1");

        assertThat(again.decisionId()).isEqualTo(first.decisionId());
        assertThat(again.allowed()).isTrue();
        assertThat(again.candidates()).isEqualTo(first.candidates());
        assertThat(again.reservation().id()).isEqualTo(first.reservation().id());
        assertThat(again.reservation().amountUsd()).isEqualTo(new BigDecimal("0.002"));
        assertThat(again.reservation().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(reservationOf(first).status()).isEqualTo(Status.OPEN);
        assertThat(events(first)).containsExactly("EXPIRED 0.002 0 0", "REHELD 0 0 0.002");

        clock.advance(Duration.ofMinutes(1));
        assertThat(decide("job-1").reservation())
                .as("a delivery while the new hold is open changes nothing")
                .isEqualTo(again.reservation());
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.002");
    }

    @Test
    void aRedeliveryAfterExpiryHoldsInTheBudgetWindowCurrentNow() {
        smallAndLarge();
        server.route(PROJECT, "small");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        clock.advance(Duration.ofHours(14).plusMinutes(50));
        Decision first = decide("job-1");
        Instant yesterday = Instant.parse(TODAY);
        clock.advance(Duration.ofMinutes(16));
        server.expiry.expireDue();

        Decision again = decide("job-1");

        assertThat(again.allowed()).isTrue();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(server.db.budgets.figures("cap", yesterday).reservedUsd()).isEqualByComparingTo("0");
        assertThat(reservationOf(first).holds())
                .extracting(Hold::windowStart)
                .containsExactly(Instant.parse("2026-03-11T00:00:00Z"));
    }

    @Test
    void aRedeliveryAfterExpiryIsDeniedWhenAHardBudgetHasNoRoomAndGivesBackWhatItHeldAgain() {
        smallAndLarge();
        server.route(PROJECT, "small");
        server.budget("a-roomy", projectScope(PROJECT), "1", BudgetMode.HARD);
        server.budget("b-cap", new BudgetScope(PROJECT, "flow"), "0.003", BudgetMode.HARD);
        Decision crashed = decide("job-1");
        clock.advance(Duration.ofMinutes(16));
        server.expiry.expireDue();
        // meanwhile another call takes the room the crashed one gave back
        assertThat(decide("job-2").allowed()).isTrue();

        Decision again = decide("job-1");

        assertThat(again.decisionId()).isEqualTo(crashed.decisionId());
        assertThat(again.allowed()).isFalse();
        assertThat(again.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
        assertThat(again.reasonMessage())
                .isEqualTo("the reservation of this decision expired before its outcome arrived, and "
                        + hardBudgetMessage("b-cap", "0.003", TODAY, "0.001", "0.002"));
        assertThat(again.candidates()).isEmpty();
        assertThat(again.reservation()).isNull();
        assertThat(server.today("a-roomy").reservedUsd())
                .as("the hold made again in the first budget is given back")
                .isEqualByComparingTo("0.002");
        assertThat(server.today("b-cap").reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(events(crashed)).containsExactly("EXPIRED 0.002 0 0", "REHOLD_DENIED 0 0 0");

        Decision stillDenied = decide("job-1");
        assertThat(stillDenied.allowed()).isFalse();
        assertThat(stillDenied.reservation()).isNull();
        assertThat(server.today("a-roomy").reservedUsd()).isEqualByComparingTo("0.002");
    }

    @Test
    void aRedeliveryAfterExpiryAndALateOutcomeReturnsTheSettledCallAndHoldsNothing() {
        Decision first = decidedAndExpired();
        server.outcomes.recordOutcome(
                first.decisionId(), outcome(attempt("small", 800, 300, CallStatus.SUCCEEDED)), WORKER);

        Decision again = decide("job-1");

        assertThat(again.settledCall()).isNotNull();
        assertThat(again.settledCall().costUsd()).isEqualTo(new BigDecimal("0.0014"));
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.0014");
        assertThat(events(first)).containsExactly("EXPIRED 0.002 0 0", "LATE_OUTCOME 0 0.0014 0");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twoRedeliveriesRacingOnTwoReplicasAfterExpiryHoldTheMoneyOnce() {
        Decision first = decidedAndExpired();
        DecisionService otherReplica = server.replica(Duration.ZERO);
        AtomicReference<Decision> winner = new AtomicReference<>();
        server.db.reservations.whileNextLockWaits(
                () -> winner.set(otherReplica.decide(call("job-1", PROJECT), WORKER)));

        Decision waited = decide("job-1");

        assertThat(winner.get().reservation().expiresAt())
                .isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
        assertThat(waited).isEqualTo(winner.get());
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(events(first)).containsExactly("EXPIRED 0.002 0 0", "REHELD 0 0 0.002");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anOutcomeRecordedWhileARedeliveryWaitsForTheLockIsNotHeldAgain() {
        Decision first = decidedAndExpired();
        server.db.reservations.whileNextLockWaits(() -> server.outcomes.recordOutcome(
                first.decisionId(), outcome(attempt("small", 800, 300, CallStatus.SUCCEEDED)), WORKER));

        Decision again = decide("job-1");

        assertThat(again.allowed()).isTrue();
        assertThat(again.settledCall()).isNotNull();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.0014");
        assertThat(events(first)).containsExactly("EXPIRED 0.002 0 0", "LATE_OUTCOME 0 0.0014 0");
    }

    @Test
    void aReplicaWhoseCachedDefinitionsLackTheBudgetStillHoldsAgainInItEvenForAModelRetiredSince() {
        // small is retired from tomorrow on; the call is decided at 23:50 and redelivered after midnight
        server.model("small", "0.000001", "0.000002", LocalDate.parse("2026-03-11"));
        server.route(PROJECT, "small");
        clock.advance(Duration.ofHours(14).plusMinutes(50));
        DecisionService replica = server.replica(Duration.ofHours(1));
        replica.decide(call("warm-up", PROJECT), WORKER);
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        Decision first = decide("job-1");
        clock.advance(Duration.ofMinutes(16));
        server.expiry.expireDue();

        Decision again = replica.decide(call("job-1", PROJECT), WORKER);

        assertThat(again.decisionId()).isEqualTo(first.decisionId());
        assertThat(again.allowed()).isTrue();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.002");
        assertThat(replica.decide(call("job-2", PROJECT), WORKER).reason())
                .as("a new call is refused the retired model")
                .isEqualTo(DenialReason.MODEL_RETIRED);
    }

    // ---- budget definitions changed under the decision

    @Test
    void aBudgetDefinedThroughAnotherReplicaAppliesDespiteThisReplicasCachedDefinitions() {
        InMemoryPolicyServer cached = new InMemoryPolicyServer(clock, Duration.ofMinutes(1));
        cached.model("small", "0.000001", "0.000002");
        cached.route(PROJECT, "small");
        assertThat(cached.decisions.decide(call("job-1", PROJECT), WORKER).allowed())
                .isTrue();
        cached.budget("cap", projectScope(PROJECT), "0.001", BudgetMode.HARD);

        Decision decision = cached.decisions.decide(call("job-2", PROJECT), WORKER);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reasonMessage()).isEqualTo(hardBudgetMessage("cap", "0.001", TODAY, "0.001", "0.002"));
    }

    @Test
    void aDecisionWithModelBudgetsIsMadeAgainWhenTheDefinitionsChangedUnderIt() {
        InMemoryPolicyServer cached = new InMemoryPolicyServer(clock, Duration.ofMinutes(1));
        cached.model("small", "0.000001", "0.000002");
        cached.route(PROJECT, "small");
        cached.budget("m-small", modelScope(PROJECT, "small"), "1", BudgetMode.HARD);
        assertThat(cached.decisions.decide(call("job-1", PROJECT), WORKER).allowed())
                .isTrue();
        cached.budget("cap", projectScope(PROJECT), "0.001", BudgetMode.HARD);

        Decision decision = cached.decisions.decide(call("job-2", PROJECT), WORKER);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reasonMessage()).isEqualTo(hardBudgetMessage("cap", "0.001", TODAY, "0.001", "0.002"));
        assertThat(cached.today("m-small").reservedUsd()).isEqualByComparingTo("0.002");
    }

    @Test
    void budgetDefinitionsThatKeepChangingFailTheDecisionAfterTheStaleRoundsAndStoreNothing() {
        smallAndLarge();
        server.route(PROJECT, "small");
        var cap = server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        server.db.budgets.afterEachDefinitionsRead(() -> server.db.budgets.upsert(cap, clock.instant()));

        assertThatThrownBy(() -> decide("job-1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("budget definitions kept changing while deciding job-1");
        assertThat(server.db.decisions.findByIdempotencyKey("job-1")).isEmpty();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void budgetDefinitionsThatSettleWithinTheStaleRoundsStillGiveADecision() {
        smallAndLarge();
        server.route(PROJECT, "small");
        var cap = server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
        AtomicInteger changesLeft = new AtomicInteger(DecisionService.STALE_ROUNDS - 1);
        server.db.budgets.afterEachDefinitionsRead(() -> {
            if (changesLeft.getAndDecrement() > 0) {
                server.db.budgets.upsert(cap, clock.instant());
            }
        });

        Decision decision = decide("job-1");

        assertThat(decision.allowed()).isTrue();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.002");
    }

    // ---- what the decision tells the worker besides

    @Test
    void anAllowedDecisionOfAFailOpenProjectCarriesItsFirstCandidateAndThatModelsDearestPrices() {
        smallAndLarge();
        server.route(PROJECT, "large", "small");
        server.db.projectSettings.putOnPolicyUnavailable(PROJECT, OnPolicyUnavailable.FAIL_OPEN_CAPPED, START);

        Decision decision = decide("job-1");

        assertThat(decision.failOpen())
                .isEqualTo(new Decision.FailOpen(
                        new Candidate("acme", "large", 500, 30_000),
                        new BigDecimal("0.00001"),
                        new BigDecimal("0.00002")));
    }

    @Test
    void deniedDecisionsAndDecisionsOfRetryProjectsCarryNoFailOpenTerms() {
        smallAndLarge();
        server.route(PROJECT, "ghost");
        server.db.projectSettings.putOnPolicyUnavailable(PROJECT, OnPolicyUnavailable.FAIL_OPEN_CAPPED, START);

        assertThat(decide("job-1").failOpen()).isNull();
        assertThat(server.decisions.decide(call("job-2", "retrying"), WORKER).failOpen())
                .isNull();
    }

    @Test
    void theDecisionTellsTheWorkerHowToRedactItsWorkflowsTexts() {
        smallAndLarge();
        server.db.projectSettings.putRedaction(
                PROJECT, "flow", new RedactionSettings(RedactionMode.HASH_ONLY, List.of()), START);

        assertThat(decide("job-1").redaction().mode()).isEqualTo(RedactionMode.HASH_ONLY);
        assertThat(server.decisions
                        .decide(call("job-2", "plain"), WORKER)
                        .redaction()
                        .mode())
                .isEqualTo(RedactionMode.FULL);
    }
}
