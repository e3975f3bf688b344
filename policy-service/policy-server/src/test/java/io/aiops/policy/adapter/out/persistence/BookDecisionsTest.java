package io.aiops.policy.adapter.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.DecisionStore.BookedDecision;
import io.aiops.policy.application.port.out.DecisionStore.Booking;
import io.aiops.policy.application.port.out.DecisionStore.BookingOutcome;
import io.aiops.policy.application.port.out.DecisionStore.BookingResult;
import io.aiops.policy.application.port.out.DecisionStore.CandidateTerms;
import io.aiops.policy.application.port.out.DecisionStore.NewDecision;
import io.aiops.policy.domain.call.CallDecision;
import io.aiops.policy.domain.call.Candidate;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The {@code book_decisions} function, called the way a batch of waiting requests calls it: decisions in one call are
 * admitted in their order against the windows' committed figures and each other, and what is written matches what
 * each one was told.
 */
class BookDecisionsTest extends PolicyServerTest {

    private static final BigDecimal AMOUNT = new BigDecimal("0.002000000000");

    @Autowired
    DecisionStore decisions;

    @Autowired
    BudgetStore budgets;

    @Test
    void aBatchTakesDecisionsInOrderUntilTheHardBudgetIsFullAndDeniesTheRestWithWhatIsLeft() {
        String project = unique("batch");
        String budget = budget(project, "0.005", BudgetMode.HARD);
        List<BookedDecision> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.add(booked(project, List.of(booking(budget))));
        }

        List<BookingResult> results = decisions.book(batch);

        assertThat(results)
                .extracting(BookingResult::outcome)
                .containsExactly(
                        BookingOutcome.ALLOWED, BookingOutcome.ALLOWED, BookingOutcome.DENIED, BookingOutcome.DENIED);
        assertThat(results.get(2).denialMessage())
                .isEqualTo("HARD budget '" + budget + "' has 0.001 USD left; this call may cost up to 0.002 USD");
        assertThat(results.get(3).denialMessage()).isEqualTo(results.get(2).denialMessage());
        assertThat(window(budget).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0.004");
        for (int i = 0; i < 4; i++) {
            UUID decisionId = batch.get(i).decision().id();
            Record stored = db.fetchOne(
                    "select allowed, denial_reason, denial_message from decisions where id = ?", decisionId);
            long reservations = db.fetchCount(db.selectFrom("reservations").where("decision_id = ?", decisionId));
            long holds = db.fetchCount(db.selectFrom("reservation_holds")
                    .where("reservation_id = ?", batch.get(i).reservationId()));
            if (i < 2) {
                assertThat(stored.get("allowed", Boolean.class)).isTrue();
                assertThat(reservations).isEqualTo(1);
                assertThat(holds).isEqualTo(1);
            } else {
                assertThat(stored.get("allowed", Boolean.class)).isFalse();
                assertThat(stored.get("denial_reason", String.class)).isEqualTo("BUDGET_EXCEEDED");
                assertThat(stored.get("denial_message", String.class))
                        .isEqualTo(results.get(i).denialMessage());
                assertThat(reservations).isZero();
                assertThat(holds).isZero();
            }
        }
    }

    @Test
    void aTakenKeyIsAConflictThatWritesNothingAndDoesNotUseTheBudget() {
        String project = unique("batch");
        String budget = budget(project, "0.004", BudgetMode.HARD);
        BookedDecision first = booked(project, List.of(booking(budget)));
        assertThat(decisions.book(List.of(first)))
                .extracting(BookingResult::outcome)
                .containsExactly(BookingOutcome.ALLOWED);

        // the same key again (a redelivered job) and a new call: the new one still fits, as the repeat took nothing
        BookedDecision repeat = booked(
                new NewDecision(UUID.randomUUID(), first.decision().request(), true, null, null, candidates(), now()),
                List.of(booking(budget)));
        BookedDecision next = booked(project, List.of(booking(budget)));
        List<BookingResult> results = decisions.book(List.of(repeat, next));

        assertThat(results)
                .extracting(BookingResult::outcome)
                .containsExactly(BookingOutcome.CONFLICT, BookingOutcome.ALLOWED);
        assertThat(db.fetchCount(db.selectFrom("decisions")
                        .where("id = ?", repeat.decision().id())))
                .isZero();
        assertThat(db.fetchCount(db.selectFrom("reservations").where("id = ?", repeat.reservationId())))
                .isZero();
        assertThat(window(budget).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0.004");
    }

    @Test
    void aSoftBudgetNeverDeniesAndAFullHardBudgetDeniesEvenWhenTheSoftOneHasRoom() {
        String project = unique("batch");
        String hard = budget(project, "0.002", BudgetMode.HARD);
        String soft = budget(project, "0.001", BudgetMode.SOFT);
        List<Booking> both = List.of(booking(hard), booking(soft)).stream()
                .sorted(java.util.Comparator.comparing(Booking::budgetId))
                .toList();

        List<BookingResult> results = decisions.book(List.of(booked(project, both), booked(project, both)));

        assertThat(results)
                .extracting(BookingResult::outcome)
                .containsExactly(BookingOutcome.ALLOWED, BookingOutcome.DENIED);
        assertThat(results.get(1).denialMessage()).startsWith("HARD budget '" + hard + "'");
        // the SOFT window went past its limit for the allowed call, and holds nothing for the denied one
        assertThat(window(soft).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0.002");
        assertThat(window(hard).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0.002");
    }

    @Test
    void aDecisionNoBudgetCoversIsStoredWithItsReservationAndNoHold() {
        BookedDecision free = booked(unique("batch"), List.of());

        assertThat(decisions.book(List.of(free)))
                .extracting(BookingResult::outcome)
                .containsExactly(BookingOutcome.ALLOWED);
        assertThat(db.fetchValue(
                        "select amount_usd from reservations where decision_id = ?",
                        free.decision().id()))
                .isEqualTo(AMOUNT);
        assertThat(db.fetchCount(db.selectFrom("reservation_holds").where("reservation_id = ?", free.reservationId())))
                .isZero();
    }

    @Test
    void aModelBudgetWithoutRoomDropsItsModelFromTheChainAndTheCallBudgetHoldsWhatTheRestMayCost() {
        String project = unique("batch");
        String modelBudget = modelBudget(project, "premium", "0.001");
        String callBudget = budget(project, "1", BudgetMode.HARD);
        List<Candidate> chain =
                List.of(new Candidate("acme", "premium", 500, 60_000), new Candidate("acme", "mini", 500, 60_000));
        BookedDecision decision = booked(
                new NewDecision(
                        UUID.randomUUID(), stored(project, "classify", 1000, 500), true, null, null, chain, now()),
                List.of(
                        new CandidateTerms(new BigDecimal("0.003"), Duration.ofMinutes(1)),
                        new CandidateTerms(new BigDecimal("0.001"), Duration.ofMinutes(1))),
                List.of(modelBooking(modelBudget, "premium"), booking(callBudget)));

        BookingResult result = decisions.book(List.of(decision)).get(0);

        assertThat(result.outcome()).isEqualTo(BookingOutcome.ALLOWED);
        assertThat(result.keptCandidates()).containsExactly(1);
        assertThat(result.amountUsd()).isEqualByComparingTo("0.001");
        assertThat(decisions
                        .findById(decision.decision().id())
                        .orElseThrow()
                        .decision()
                        .candidates())
                .extracting(Candidate::model)
                .containsExactly("mini");
        assertThat(window(modelBudget).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0");
        assertThat(window(callBudget).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0.001");
        assertThat(db.fetchCount(
                        db.selectFrom("reservation_holds").where("reservation_id = ?", decision.reservationId())))
                .isEqualTo(1);
    }

    @Test
    void whenNoCandidateFitsItsModelBudgetTheDecisionIsDeniedAndHoldsNothing() {
        String project = unique("batch");
        String modelBudget = modelBudget(project, "premium", "0.001");
        String callBudget = budget(project, "1", BudgetMode.HARD);
        List<Candidate> chain = List.of(new Candidate("acme", "premium", 500, 60_000));
        BookedDecision decision = booked(
                new NewDecision(
                        UUID.randomUUID(), stored(project, "classify", 1000, 500), true, null, null, chain, now()),
                List.of(new CandidateTerms(new BigDecimal("0.003"), Duration.ofMinutes(1))),
                List.of(modelBooking(modelBudget, "premium"), booking(callBudget)));

        BookingResult result = decisions.book(List.of(decision)).get(0);

        assertThat(result.outcome()).isEqualTo(BookingOutcome.DENIED);
        assertThat(result.denialMessage())
                .isEqualTo("no candidate model fits its model budget: HARD budget '" + modelBudget
                        + "' has 0.001 USD left; this call may cost up to 0.003 USD");
        CallDecision stored =
                decisions.findById(decision.decision().id()).orElseThrow().decision();
        assertThat(stored.allowed()).isFalse();
        assertThat(stored.candidates()).isEmpty();
        assertThat(window(callBudget).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0");
        assertThat(db.fetchCount(db.selectFrom("reservations").where("id = ?", decision.reservationId())))
                .isZero();
    }

    @Test
    void aReservationLivesTheTtlOrAsLongAsItsChainMayRunWithinADay() {
        String project = unique("batch");
        // 5 candidates of 151 s: 12 min 35 s < the 15 min TTL
        assertThat(expiryAfter(project, 5, Duration.ofSeconds(151))).isEqualTo(Duration.ofMinutes(15));
        // 7 of 151 s: 17 min 37 s
        assertThat(expiryAfter(project, 7, Duration.ofSeconds(151))).isEqualTo(Duration.ofSeconds(7 * 151));
        // 3 of 10 h: a day at most
        assertThat(expiryAfter(project, 3, Duration.ofHours(10))).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aRedeliveryHoldsTheSameMoneyAgainOnceAndTurnsIntoADenialWhenTheBudgetIsFull() {
        String project = unique("batch");
        String budget = budget(project, "0.003", BudgetMode.HARD);
        BookedDecision first = booked(project, List.of(booking(budget)));
        assertThat(decisions.book(List.of(first)).get(0).outcome()).isEqualTo(BookingOutcome.ALLOWED);
        expire(first, budget);

        BookedDecision rehold = rehold(first, budget);
        List<BookingResult> twice = decisions.book(List.of(rehold));
        assertThat(twice.get(0).outcome()).isEqualTo(BookingOutcome.ALLOWED);
        assertThat(twice.get(0).amountUsd()).isEqualByComparingTo("0.002");
        assertThat(window(budget).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0.002");
        assertThat(db.fetchValue("select status from reservations where id = ?", first.reservationId()))
                .isEqualTo("OPEN");
        // the same redelivery again finds the reservation open: nothing to hold
        assertThat(decisions.book(List.of(rehold(first, budget))).get(0).outcome())
                .isEqualTo(BookingOutcome.UNCHANGED);
        assertThat(window(budget).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0.002");

        // expired again while another call took the room: the redelivery is denied and its decision says so
        expire(first, budget);
        assertThat(decisions
                        .book(List.of(booked(project, List.of(booking(budget)))))
                        .get(0)
                        .outcome())
                .isEqualTo(BookingOutcome.ALLOWED);
        BookingResult denied = decisions.book(List.of(rehold(first, budget))).get(0);
        assertThat(denied.outcome()).isEqualTo(BookingOutcome.DENIED);
        assertThat(denied.denialMessage())
                .isEqualTo("the reservation of this decision expired before its outcome arrived, and HARD budget '"
                        + budget + "' has 0.001 USD left; this call may cost up to 0.002 USD");
        assertThat(decisions
                        .findById(first.decision().id())
                        .orElseThrow()
                        .decision()
                        .allowed())
                .isFalse();
        assertThat(db.fetch(
                                "select kind from reservation_events where reservation_id = ? order by id",
                                first.reservationId())
                        .getValues(0, String.class))
                .containsExactly("EXPIRED", "REHELD", "EXPIRED", "REHOLD_DENIED");
    }

    @Test
    void aRedeliveryWaitingForItsReservationSeesWhatTheRequestBeforeItCommitted() throws Exception {
        String project = unique("batch");
        String budget = budget(project, "1", BudgetMode.HARD);
        BookedDecision first = booked(project, List.of(booking(budget)));
        assertThat(decisions.book(List.of(first)).get(0).outcome()).isEqualTo(BookingOutcome.ALLOWED);
        expire(first, budget);
        // another request holds the reservation's lock and, before it commits, turns the decision into a denial (as a
        // redelivery that found no room does); the booking that waited for the lock must see that, not hold again
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> holder = pool.submit(() -> OWNER.transaction(tx -> {
                tx.dsl().execute("select 1 from reservations where id = ? for update", first.reservationId());
                tx.dsl()
                        .execute(
                                "update decisions set allowed = false, denial_reason = 'BUDGET_EXCEEDED',"
                                        + " denial_message = 'no room', candidates = '[]' where id = ?",
                                first.decision().id());
                locked.countDown();
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            }));
            assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
            Future<BookingResult> redelivery = pool.submit(
                    () -> decisions.book(List.of(rehold(first, budget))).get(0));
            awaitALockWait();
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);

            assertThat(redelivery.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(BookingOutcome.UNCHANGED);
            assertThat(window(budget).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** Returns once some session of the database waits for a lock (the booking queued behind the holder). */
    private void awaitALockWait() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (((Number) db.fetchValue("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"))
                        .longValue()
                == 0) {
            assertThat(System.nanoTime()).as("a session waiting for a lock").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** What the expiry job does to a reservation: closes it as EXPIRED and gives its money back. */
    private void expire(BookedDecision decision, String budgetId) {
        db.execute(
                "update reservations set status = 'EXPIRED', closed_at = now() where id = ?", decision.reservationId());
        db.execute("update budget_windows set reserved_usd = reserved_usd - ? where budget_id = ?", AMOUNT, budgetId);
        db.execute(
                "insert into reservation_events (reservation_id, kind, reserved_released_usd, spent_posted_usd,"
                        + " occurred_at) values (?, 'EXPIRED', ?, 0, now())",
                decision.reservationId(),
                AMOUNT);
    }

    private BookedDecision rehold(BookedDecision first, String budgetId) {
        Booking again = new Booking(
                budgetId,
                booking(budgetId).windowStart(),
                booking(budgetId).windowEnd(),
                "HARD budget '" + budgetId + "' has ",
                null,
                null,
                AMOUNT);
        return new BookedDecision(
                first.decision(),
                first.reservationId(),
                first.terms(),
                List.of(again),
                budgets.definitionsVersion(),
                true,
                Duration.ofMinutes(15),
                Duration.ofDays(1));
    }

    private Duration expiryAfter(String project, int candidates, Duration spanEach) {
        List<Candidate> chain = java.util.Collections.nCopies(candidates, new Candidate("acme", "m", 500, 60_000));
        BookedDecision decision = booked(
                new NewDecision(
                        UUID.randomUUID(), stored(project, "classify", 1000, 500), true, null, null, chain, now()),
                java.util.Collections.nCopies(candidates, new CandidateTerms(AMOUNT, spanEach)),
                List.of());
        BookingResult result = decisions.book(List.of(decision)).get(0);
        return Duration.between(decision.decision().createdAt(), result.expiresAt());
    }

    private String modelBudget(String project, String model, String limitUsd) {
        String id = unique("model-budget");
        admin.putBudget(new BudgetDefinition(
                id,
                new BudgetDefinition.BudgetScope(project, null, null, null, model),
                BudgetDefinition.BudgetPeriod.DAY,
                new BigDecimal(limitUsd),
                BudgetMode.HARD,
                null,
                null));
        return id;
    }

    private static Booking modelBooking(String budgetId, String model) {
        Booking call = booking(budgetId);
        return new Booking(budgetId, call.windowStart(), call.windowEnd(), call.denialPrefix(), null, model, null);
    }

    private Record window(String budgetId) {
        return db.fetchOne("select spent_usd, reserved_usd from budget_windows where budget_id = ?", budgetId);
    }

    private static Instant now() {
        return CLOCK.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void aDecisionRoutedWithOlderBudgetDefinitionsIsStaleAndWritesNothing() {
        String project = unique("batch");
        BookedDecision routedBefore = booked(project, List.of());
        // a budget defined after the decision was routed (through another replica, say) bumps the version
        String budget = budget(project, "0.004", BudgetMode.HARD);
        BookedDecision routedAfter = booked(project, List.of(booking(budget)));

        List<BookingResult> results = decisions.book(List.of(routedBefore, routedAfter));

        assertThat(results)
                .extracting(BookingResult::outcome)
                .containsExactly(BookingOutcome.STALE, BookingOutcome.ALLOWED);
        assertThat(db.fetchCount(db.selectFrom("decisions")
                        .where("id = ?", routedBefore.decision().id())))
                .isZero();
        assertThat(db.fetchCount(db.selectFrom("reservations").where("id = ?", routedBefore.reservationId())))
                .isZero();
        assertThat(window(budget).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0.002");
    }

    private static Booking booking(String budgetId) {
        Instant start = now().truncatedTo(ChronoUnit.DAYS);
        return new Booking(budgetId, start, start.plus(1, ChronoUnit.DAYS), "HARD budget '" + budgetId + "' has ");
    }

    private static List<Candidate> candidates() {
        return List.of(new Candidate("acme", "m", 500, 60_000));
    }

    /** A valid decision request for a fresh element instance of a fresh process instance, as it is stored. */
    private static DecideCommand stored(String project, String taskKind, int estimatedInput, int maxOutput) {
        DecisionRequest r = request(project, taskKind, estimatedInput, maxOutput);
        return new DecideCommand(
                r.idempotencyKey(),
                r.project(),
                r.coordinates(),
                r.taskKind(),
                r.modelHint(),
                r.estimatedInputTokens(),
                r.maxOutputTokens(),
                r.tags());
    }

    private BookedDecision booked(String project, List<Booking> bookings) {
        DecideCommand r = stored(project, "classify", 1000, 500);
        return booked(new NewDecision(UUID.randomUUID(), r, true, null, null, candidates(), now()), bookings);
    }

    /** A new decision whose every candidate may cost {@link #AMOUNT} and run a minute. */
    private BookedDecision booked(NewDecision decision, List<Booking> bookings) {
        return booked(
                decision,
                decision.candidates().stream()
                        .map(c -> new CandidateTerms(AMOUNT, Duration.ofMinutes(1)))
                        .toList(),
                bookings);
    }

    private BookedDecision booked(NewDecision decision, List<CandidateTerms> terms, List<Booking> bookings) {
        return new BookedDecision(
                decision,
                UUID.randomUUID(),
                terms,
                bookings,
                budgets.definitionsVersion(),
                false,
                Duration.ofMinutes(15),
                Duration.ofDays(1));
    }
}
