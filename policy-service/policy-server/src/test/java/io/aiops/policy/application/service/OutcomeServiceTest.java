package io.aiops.policy.application.service;

import static io.aiops.policy.application.service.InMemoryPolicyServer.WORKER;
import static io.aiops.policy.application.service.InMemoryPolicyServer.attempt;
import static io.aiops.policy.application.service.InMemoryPolicyServer.call;
import static io.aiops.policy.application.service.InMemoryPolicyServer.modelScope;
import static io.aiops.policy.application.service.InMemoryPolicyServer.outcome;
import static io.aiops.policy.application.service.InMemoryPolicyServer.projectScope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.api.redaction.TextRedactor;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RecordOutcomeCommand;
import io.aiops.policy.application.port.in.RecordOutcomeCommand.AttemptCommand;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.in.UnapprovedCallCommand;
import io.aiops.policy.application.port.out.CallLedger.NewCall;
import io.aiops.policy.application.port.out.CallLedger.PricedAttempt;
import io.aiops.policy.application.port.out.ReservationStore.Status;
import io.aiops.policy.domain.audit.ChainVerifier;
import io.aiops.policy.domain.audit.StoredAuditEntry;
import io.aiops.policy.support.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every branch of recording an outcome: pricing each attempt with the price in force when the call was decided,
 * settling an open or an expired reservation, posting to call and model budgets, the decisive attempt, redaction,
 * audit, alerts, idempotent repeats and every refusal. In-memory ports, the test's clock; no Spring, no database.
 *
 * <p>Prices: {@code small} 0.000001 per input and 0.000002 per output token, {@code large} 0.00001 and 0.00002; the
 * default call (1000 in, 500 out) reserves 0.002 and 0.02 USD for them.
 */
class OutcomeServiceTest {

    private static final String PROJECT = "shop";
    private static final Instant START = Instant.parse("2026-03-10T09:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryPolicyServer server = new InMemoryPolicyServer(clock);

    /** small and large in the catalog, the project routed to large then small, a roomy HARD budget {@code cap}. */
    private void largeThenSmall() {
        server.model("small", "0.000001", "0.000002");
        server.model("large", "0.00001", "0.00002");
        server.route(PROJECT, "large", "small");
        server.budget("cap", projectScope(PROJECT), "1", BudgetMode.HARD);
    }

    private Decision decide(String key) {
        return server.decisions.decide(call(key, PROJECT), WORKER);
    }

    private OutcomeReceipt record(Decision decision, AttemptCommand... attempts) {
        return server.outcomes.recordOutcome(decision.decisionId(), outcome(attempts), WORKER);
    }

    private NewCall callOf(Decision decision) {
        return server.db.ledger.callOf(decision.decisionId()).orElseThrow();
    }

    private Status reservationStatus(Decision decision) {
        return server.db
                .reservations
                .findByDecision(decision.decisionId())
                .orElseThrow()
                .status();
    }

    private List<String> events(Decision decision) {
        UUID reservationId = decision.reservation().id();
        return server.db.reservations.events(reservationId).stream()
                .map(Object::toString)
                .toList();
    }

    private static Map<String, Object> payload(StoredAuditEntry entry) throws Exception {
        return JSON.readValue(entry.payload(), new TypeReference<>() {});
    }

    // ---- priced and settled

    @Test
    void aSucceededCallIsPricedFromTheCatalogAndSettlesItsReservation() {
        largeThenSmall();
        Decision decision = decide("job-1");
        clock.advance(Duration.ofSeconds(5));

        OutcomeReceipt receipt = record(decision, attempt("large", 800, 300, CallStatus.SUCCEEDED));

        // 800 × 0.00001 + 300 × 0.00002
        assertThat(receipt.costUsd()).isEqualTo(new BigDecimal("0.014"));
        assertThat(receipt.status()).isEqualTo(CallStatus.SUCCEEDED);
        assertThat(receipt.releasedUsd()).isEqualTo(new BigDecimal("0.006"));
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.014");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(reservationStatus(decision)).isEqualTo(Status.SETTLED);
        assertThat(events(decision)).containsExactly("SETTLED 0.02 0.014 0");
        NewCall call = callOf(decision);
        assertThat(call.id()).isEqualTo(receipt.callId());
        assertThat(call.status()).isEqualTo(io.aiops.policy.domain.call.CallStatus.SUCCEEDED);
        assertThat(call.model()).isEqualTo("large");
        assertThat(call.totalUsage().inputTokens()).isEqualTo(800);
        assertThat(call.totalUsage().outputTokens()).isEqualTo(300);
        assertThat(call.requestText()).isEqualTo("question");
        assertThat(call.responseText()).isEqualTo("answer");
        assertThat(call.createdAt()).isEqualTo(clock.instant());
    }

    @Test
    void cachedInputAndReasoningTokensArePricedAtTheirOwnPrices() {
        server.db.catalog.savePrice(
                new ModelPrice(
                        "acme",
                        "thinker",
                        new BigDecimal("0.000001"),
                        new BigDecimal("0.000002"),
                        new BigDecimal("0.0000001"),
                        null,
                        new BigDecimal("0.000004"),
                        null),
                START);
        server.route(PROJECT, "thinker");
        Decision decision = decide("job-1");
        // worst case: 1000 × 0.000001 + 500 × 0.000004 (reasoning is the dearer output)
        assertThat(decision.reservation().amountUsd()).isEqualTo(new BigDecimal("0.003"));

        OutcomeReceipt receipt = server.outcomes.recordOutcome(
                decision.decisionId(),
                outcome(new AttemptCommand(
                        "acme", "thinker", 1000L, 400L, 0L, 500L, 200L, 100L, CallStatus.SUCCEEDED, null, 0L, null)),
                WORKER);

        // 600 uncached × 0.000001 + 400 cached × 0.0000001 + 300 visible × 0.000002 + 200 reasoning × 0.000004
        assertThat(receipt.costUsd()).isEqualTo(new BigDecimal("0.00204"));
        assertThat(receipt.releasedUsd()).isEqualTo(new BigDecimal("0.00096"));
    }

    @Test
    void aCallWhoseEveryAttemptFailedIsRecordedAsFailedOnTheLastModelAndStillCosts() {
        largeThenSmall();
        Decision decision = decide("job-1");

        OutcomeReceipt receipt = record(
                decision, attempt("large", 100, 0, CallStatus.FAILED), attempt("small", 100, 0, CallStatus.FAILED));

        assertThat(receipt.status()).isEqualTo(CallStatus.FAILED);
        assertThat(receipt.costUsd()).isEqualTo(new BigDecimal("0.0011"));
        assertThat(receipt.releasedUsd()).isEqualTo(new BigDecimal("0.0189"));
        assertThat(callOf(decision).model()).isEqualTo("small");
        assertThat(callOf(decision).status()).isEqualTo(io.aiops.policy.domain.call.CallStatus.FAILED);
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.0011");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void aFailoverIsOneSucceededCallOnTheModelThatAnsweredWithEveryAttemptPriced() {
        largeThenSmall();
        Decision decision = decide("job-1");

        OutcomeReceipt receipt = record(
                decision,
                attempt("large", 1000, 0, CallStatus.FAILED),
                attempt("small", 1000, 500, CallStatus.SUCCEEDED));

        assertThat(receipt.status()).isEqualTo(CallStatus.SUCCEEDED);
        assertThat(receipt.costUsd()).isEqualTo(new BigDecimal("0.012"));
        assertThat(receipt.releasedUsd()).isEqualTo(new BigDecimal("0.008"));
        NewCall call = callOf(decision);
        assertThat(call.model()).isEqualTo("small");
        assertThat(call.totalUsage().inputTokens()).isEqualTo(2000);
        assertThat(call.totalUsage().outputTokens()).isEqualTo(500);
        assertThat(call.latencyMs()).isEqualTo(200);
        assertThat(call.attempts()).extracting(PricedAttempt::attemptNo).containsExactly(1, 2);
        assertThat(call.attempts()).extracting(PricedAttempt::model).containsExactly("large", "small");
        assertThat(call.attempts().get(0).costUsd()).isEqualByComparingTo("0.01");
        assertThat(call.attempts().get(1).costUsd()).isEqualByComparingTo("0.002");
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.012");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void aModelBudgetIsPostedOnlyTheAttemptsOnItsModel() {
        largeThenSmall();
        server.budget("m-large", modelScope(PROJECT, "large"), "1", BudgetMode.HARD);
        Decision decision = decide("job-1");
        assertThat(server.today("m-large").reservedUsd()).isEqualByComparingTo("0.02");

        record(
                decision,
                attempt("large", 1000, 0, CallStatus.FAILED),
                attempt("small", 1000, 500, CallStatus.SUCCEEDED));

        assertThat(server.today("m-large").spentUsd()).isEqualByComparingTo("0.01");
        assertThat(server.today("m-large").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.012");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void aCallDearerThanItsReservationReleasesNothingAndPostsItsWholeCost() {
        largeThenSmall();
        server.route(PROJECT, "small");
        Decision decision = decide("job-1");

        OutcomeReceipt receipt = record(decision, attempt("small", 2000, 1000, CallStatus.SUCCEEDED));

        assertThat(receipt.costUsd()).isEqualTo(new BigDecimal("0.004"));
        assertThat(receipt.releasedUsd()).isEqualTo(BigDecimal.ZERO);
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.004");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(events(decision)).containsExactly("SETTLED 0.002 0.004 0");
    }

    @Test
    void anOutcomeAfterTheReservationExpiredPostsTheCostWithoutReleasingTheMoneyAgain() {
        largeThenSmall();
        Decision decision = decide("job-1");
        clock.advance(Duration.ofMinutes(16));
        server.expiry.expireDue();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");

        OutcomeReceipt receipt = record(decision, attempt("large", 800, 300, CallStatus.SUCCEEDED));

        assertThat(receipt.costUsd()).isEqualTo(new BigDecimal("0.014"));
        assertThat(receipt.releasedUsd()).isEqualTo(BigDecimal.ZERO);
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.014");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(reservationStatus(decision)).isEqualTo(Status.EXPIRED);
        assertThat(events(decision)).containsExactly("EXPIRED 0.02 0 0", "LATE_OUTCOME 0 0.014 0");
    }

    @Test
    void aCallIsPricedWithThePriceInForceWhenItWasDecided() {
        largeThenSmall();
        server.route(PROJECT, "small");
        Decision before = decide("job-1");
        clock.advance(Duration.ofHours(1));
        server.model("small", "0.000002", "0.000004");
        Decision after = decide("job-2");

        OutcomeReceipt oldPrice = record(before, attempt("small", 800, 300, CallStatus.SUCCEEDED));
        OutcomeReceipt newPrice = record(after, attempt("small", 800, 300, CallStatus.SUCCEEDED));

        assertThat(oldPrice.costUsd()).isEqualTo(new BigDecimal("0.0014"));
        assertThat(newPrice.costUsd()).isEqualTo(new BigDecimal("0.0028"));
    }

    @Test
    void anOutcomeAfterARedeliveryHeldTheMoneyAgainSettlesTheNewHold() {
        largeThenSmall();
        Decision decision = decide("job-1");
        clock.advance(Duration.ofMinutes(16));
        server.expiry.expireDue();
        assertThat(decide("job-1").allowed()).isTrue();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.02");

        OutcomeReceipt receipt = record(decision, attempt("large", 800, 300, CallStatus.SUCCEEDED));

        assertThat(receipt.releasedUsd()).isEqualTo(new BigDecimal("0.006"));
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.014");
        assertThat(reservationStatus(decision)).isEqualTo(Status.SETTLED);
        assertThat(events(decision)).containsExactly("EXPIRED 0.02 0 0", "REHELD 0 0 0.02", "SETTLED 0.02 0.014 0");
    }

    @Test
    void aLateOutcomeOfTheFirstDeliveryIsRecordedEvenAfterItsRedeliveryWasDenied() {
        server.model("small", "0.000001", "0.000002");
        server.route(PROJECT, "small");
        server.budget("cap", projectScope(PROJECT), "0.003", BudgetMode.HARD);
        Decision first = decide("job-1");
        clock.advance(Duration.ofMinutes(16));
        server.expiry.expireDue();
        assertThat(decide("job-2").allowed()).as("another call takes the room").isTrue();
        assertThat(decide("job-1").allowed()).as("the redelivery finds no room").isFalse();

        // the first worker was slow, not dead: its call ran and cost money
        OutcomeReceipt receipt = record(first, attempt("small", 800, 300, CallStatus.SUCCEEDED));

        assertThat(receipt.costUsd()).isEqualTo(new BigDecimal("0.0014"));
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.0014");
        assertThat(server.db.ledger.callOf(first.decisionId())).isPresent();
    }

    // ---- idempotent repeat

    @Test
    void aRepeatedOutcomeGetsTheFirstReceiptAndCountsNothingTwice() {
        largeThenSmall();
        Decision decision = decide("job-1");
        OutcomeReceipt first = record(decision, attempt("large", 800, 300, CallStatus.SUCCEEDED));
        clock.advance(Duration.ofMinutes(1));

        OutcomeReceipt repeated = record(decision, attempt("small", 5000, 5000, CallStatus.SUCCEEDED));

        assertThat(repeated).isEqualTo(first);
        assertThat(server.db.ledger.calls()).hasSize(1);
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0.014");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
        assertThat(events(decision)).containsExactly("SETTLED 0.02 0.014 0");
        assertThat(server.db.audit.entries(PROJECT)).hasSize(1);
    }

    // ---- refused

    @Test
    void anOutcomeOfAnUnknownDecisionIsNotFound() {
        UUID unknown = UUID.randomUUID();

        RequestRejected rejected = catchThrowableOfType(
                RequestRejected.class,
                () -> server.outcomes.recordOutcome(
                        unknown, outcome(attempt("small", 1, 1, CallStatus.SUCCEEDED)), WORKER));

        assertThat(rejected.kind()).isEqualTo(RequestRejected.Kind.NOT_FOUND);
        assertThat(rejected.getMessage()).isEqualTo("no decision " + unknown);
        assertThat(server.db.ledger.calls()).isEmpty();
    }

    @Test
    void anOutcomeOfADeniedDecisionIsAConflict() {
        largeThenSmall();
        server.route(PROJECT, "ghost");
        Decision denied = decide("job-1");

        RequestRejected rejected = catchThrowableOfType(
                RequestRejected.class, () -> record(denied, attempt("small", 1, 1, CallStatus.SUCCEEDED)));

        assertThat(rejected.kind()).isEqualTo(RequestRejected.Kind.CONFLICT);
        assertThat(rejected.getMessage())
                .isEqualTo("decision " + denied.decisionId() + " was denied (POLICY_DENIED); it has no call to record");
        assertThat(server.db.ledger.calls()).isEmpty();
    }

    @Test
    void anOutcomeSentWithAKeyOfAnotherProjectIsForbiddenAndChangesNothing() {
        largeThenSmall();
        Decision decision = decide("job-1");
        ApiPrincipal otherProjectsKey = new ApiPrincipal(UUID.randomUUID(), "other", ApiRole.WORKER, List.of("other"));

        RequestRejected rejected = catchThrowableOfType(
                RequestRejected.class,
                () -> server.outcomes.recordOutcome(
                        decision.decisionId(),
                        outcome(attempt("large", 800, 300, CallStatus.SUCCEEDED)),
                        otherProjectsKey));

        assertThat(rejected.kind()).isEqualTo(RequestRejected.Kind.FORBIDDEN);
        assertThat(rejected.field()).isEqualTo("decisionId");
        assertThat(server.db.ledger.calls()).isEmpty();
        assertThat(reservationStatus(decision)).isEqualTo(Status.OPEN);
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.02");
    }

    @Test
    void anAttemptOnAModelOutsideTheCatalogIsRejectedNamingTheAttemptAndWritesNothing() {
        largeThenSmall();
        Decision decision = decide("job-1");

        RequestRejected rejected = catchThrowableOfType(
                RequestRejected.class,
                () -> record(
                        decision,
                        attempt("large", 800, 0, CallStatus.FAILED),
                        attempt("ghost", 800, 300, CallStatus.SUCCEEDED)));

        assertThat(rejected.kind()).isEqualTo(RequestRejected.Kind.UNKNOWN_MODEL);
        assertThat(rejected.field()).isEqualTo("attempts[1].model");
        assertThat(rejected.getMessage()).isEqualTo("model acme/ghost is not in the catalog");
        assertThat(server.db.ledger.calls()).isEmpty();
        assertThat(reservationStatus(decision)).isEqualTo(Status.OPEN);
        assertThat(events(decision)).isEmpty();
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0.02");
        assertThat(server.today("cap").spentUsd()).isEqualByComparingTo("0");
        assertThat(server.db.audit.entries(PROJECT)).isEmpty();
    }

    static Stream<Arguments> contradictoryTokenCounts() {
        return Stream.of(
                Arguments.of(
                        "cached and cache writes above input",
                        new AttemptCommand(
                                "acme", "small", 100L, 60L, 50L, 10L, 0L, 1L, CallStatus.SUCCEEDED, null, 0L, null),
                        "attempts[0].cachedInputTokens"),
                Arguments.of(
                        "reasoning above output",
                        new AttemptCommand(
                                "acme", "small", 100L, 0L, 0L, 10L, 20L, 1L, CallStatus.SUCCEEDED, null, 0L, null),
                        "attempts[0].reasoningTokens"),
                Arguments.of(
                        "one-hour cache writes above cache writes",
                        new AttemptCommand(
                                "acme", "small", 100L, 0L, 10L, 10L, 0L, 1L, CallStatus.SUCCEEDED, null, 20L, null),
                        "attempts[0].cacheWrite1hInputTokens"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contradictoryTokenCounts")
    void tokenCountsThatContradictEachOtherAreRejectedNamingTheField(
            String name, AttemptCommand contradictory, String field) {
        largeThenSmall();
        Decision decision = decide("job-1");

        RequestRejected rejected = catchThrowableOfType(RequestRejected.class, () -> record(decision, contradictory));

        assertThat(rejected.kind()).isEqualTo(RequestRejected.Kind.VALIDATION);
        assertThat(rejected.field()).isEqualTo(field);
        assertThat(server.db.ledger.calls()).isEmpty();
        assertThat(reservationStatus(decision)).isEqualTo(Status.OPEN);
    }

    // ---- texts, audit, alerts

    @Test
    void textsAreRedactedPerTheWorkflowBeforeTheyAreStored() throws Exception {
        largeThenSmall();
        server.db.projectSettings.putRedaction(
                PROJECT, "flow", new RedactionSettings(RedactionMode.HASH_ONLY, List.of()), START);
        Decision decision = decide("job-1");

        record(decision, attempt("large", 800, 300, CallStatus.SUCCEEDED));

        assertThat(callOf(decision).requestText()).isEqualTo(TextRedactor.hashOnly("question"));
        assertThat(callOf(decision).responseText()).isEqualTo(TextRedactor.hashOnly("answer"));
        assertThat(decide("job-1").settledCall().responseText()).isEqualTo(TextRedactor.hashOnly("answer"));
        Map<String, Object> last = payload(server.db.audit.entries(PROJECT).getLast());
        assertThat(last).containsEntry("redactionMode", "HASH_ONLY");
        assertThat(last).containsEntry("responseText", TextRedactor.hashOnly("answer"));
    }

    @Test
    void aResponseWithNulIsStoredEscapedAndComesBackExactlyOnRedelivery() {
        largeThenSmall();
        Decision decision = decide("job-1");
        String response = "line one\u0000line two";

        server.outcomes.recordOutcome(
                decision.decisionId(),
                new RecordOutcomeCommand(
                        List.of(attempt("large", 800, 300, CallStatus.SUCCEEDED)), Map.of(), "question", response),
                WORKER);

        assertThat(callOf(decision).responseText()).isEqualTo("line one\uE0000000line two");
        assertThat(decide("job-1").settledCall().responseText()).isEqualTo(response);
    }

    @Test
    void everyAttemptIsAuditedInTheProjectsChainAndTheLastEntryCarriesTheCallsTotals() throws Exception {
        largeThenSmall();
        Decision decision = decide("job-1");

        server.outcomes.recordOutcome(
                decision.decisionId(),
                new RecordOutcomeCommand(
                        List.of(
                                attempt("large", 1000, 0, CallStatus.FAILED),
                                attempt("small", 1000, 500, CallStatus.SUCCEEDED)),
                        Map.of("accuracy", new BigDecimal("0.9")),
                        "question",
                        "answer"),
                WORKER);

        List<StoredAuditEntry> entries = server.db.audit.entries(PROJECT);
        assertThat(entries).hasSize(2);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.envelope().decisionId()).isEqualTo(decision.decisionId());
            assertThat(e.envelope().actorName()).isEqualTo("worker-key");
            assertThat(e.envelope().where().processInstanceKey()).isEqualTo(100L);
        });
        assertThat(entries).extracting(e -> e.envelope().model()).containsExactly("large", "small");
        Map<String, Object> first = payload(entries.get(0));
        assertThat(first)
                .containsEntry("attemptNo", 1)
                .containsEntry("status", "FAILED")
                .containsEntry("errorClass", "TIMEOUT")
                .doesNotContainKeys("callStatus", "requestText", "unapproved");
        assertThat(new BigDecimal((String) first.get("costUsd"))).isEqualByComparingTo("0.01");
        Map<String, Object> last = payload(entries.get(1));
        assertThat(last)
                .containsEntry("attemptNo", 2)
                .containsEntry("attemptsInCall", 2)
                .containsEntry("callStatus", "SUCCEEDED")
                .containsEntry("qualityScores", Map.of("accuracy", "0.9"))
                .containsEntry("redactionMode", "FULL")
                .containsEntry("requestText", "question")
                .containsEntry("responseText", "answer");
        assertThat(new BigDecimal((String) last.get("callCostUsd"))).isEqualByComparingTo("0.012");
        assertThat(ChainVerifier.verify(
                                PROJECT,
                                entries.iterator(),
                                server.db.audit.head(PROJECT).orElseThrow())
                        .intact())
                .isTrue();
    }

    @Test
    void anUnapprovedCallIsPostedPastAHardCapAndAuditedAsUnapprovedWithItsNote() throws Exception {
        server.model("small", "0.000001", "0.000002");
        server.budget("cap", projectScope(PROJECT), "0.001", BudgetMode.HARD);
        UnapprovedCallService unapproved = new UnapprovedCallService(
                server.db.decisions,
                server.db.reservations,
                server.db.budgets,
                server.db.ledger,
                server.settings,
                server.outcomes,
                clock);
        UUID decisionId = UUID.randomUUID();

        OutcomeReceipt receipt = unapproved.recordUnapproved(
                new UnapprovedCallCommand(
                        decisionId,
                        call("ignored", PROJECT),
                        START.minusSeconds(60),
                        "worker-7",
                        "policy service unreachable",
                        outcome(attempt("small", 800, 300, CallStatus.SUCCEEDED))),
                WORKER);

        assertThat(receipt.costUsd()).isEqualTo(new BigDecimal("0.0014"));
        assertThat(receipt.releasedUsd()).isEqualTo(BigDecimal.ZERO);
        assertThat(server.today("cap").spentUsd()).as("it has been spent").isEqualByComparingTo("0.0014");
        assertThat(server.today("cap").reservedUsd()).isEqualByComparingTo("0");
        Map<String, Object> last = payload(server.db.audit.entries(PROJECT).getLast());
        assertThat(last)
                .containsEntry("unapproved", true)
                .containsEntry("decidedBy", "worker-7")
                .containsEntry("unapprovedReason", "policy service unreachable")
                .containsEntry("decidedAt", START.minusSeconds(60).toString());
    }

    @Test
    void aBudgetThresholdCrossedByAnOutcomeRaisesItsAlertOnce() {
        largeThenSmall();
        server.budget("watched", projectScope(PROJECT), "0.1", BudgetMode.SOFT, 20);
        server.db.alertRules.upsert(
                new AlertRule(
                        "watched-20",
                        PROJECT,
                        AlertKind.BUDGET_THRESHOLD,
                        "watched",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                START);

        record(decide("job-1"), attempt("large", 800, 300, CallStatus.SUCCEEDED));
        assertThat(server.db.alerts.fired()).as("0.014 of 0.1 is below 20 %").isEmpty();
        record(decide("job-2"), attempt("large", 800, 300, CallStatus.SUCCEEDED));
        record(decide("job-3"), attempt("large", 800, 300, CallStatus.SUCCEEDED));

        List<FiredAlert> fired = server.db.alerts.fired();
        assertThat(fired).hasSize(1);
        assertThat(fired.getFirst().ruleId()).isEqualTo("watched-20");
        assertThat(fired.getFirst().subject()).isEqualTo("budget:watched");
        assertThat(fired.getFirst().details()).containsEntry("threshold", "20").containsEntry("spentUsd", "0.028");
        assertThat(server.today("watched").spentUsd()).isEqualByComparingTo("0.042");
    }
}
