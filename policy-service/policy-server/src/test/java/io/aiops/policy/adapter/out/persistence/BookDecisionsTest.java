package io.aiops.policy.adapter.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.DecisionStore.BookedDecision;
import io.aiops.policy.application.port.out.DecisionStore.Booking;
import io.aiops.policy.application.port.out.DecisionStore.BookingOutcome;
import io.aiops.policy.application.port.out.DecisionStore.BookingResult;
import io.aiops.policy.application.port.out.DecisionStore.NewDecision;
import io.aiops.policy.application.port.out.DecisionStore.NewReservation;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
                    .where("reservation_id = ?", batch.get(i).reservation().id()));
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
        BookedDecision repeat = new BookedDecision(
                new NewDecision(UUID.randomUUID(), first.decision().request(), true, null, null, candidates(), now()),
                new NewReservation(UUID.randomUUID(), AMOUNT, now().plus(15, ChronoUnit.MINUTES)),
                List.of(booking(budget)),
                first.budgetsVersion());
        BookedDecision next = booked(project, List.of(booking(budget)));
        List<BookingResult> results = decisions.book(List.of(repeat, next));

        assertThat(results)
                .extracting(BookingResult::outcome)
                .containsExactly(BookingOutcome.CONFLICT, BookingOutcome.ALLOWED);
        assertThat(db.fetchCount(db.selectFrom("decisions")
                        .where("id = ?", repeat.decision().id())))
                .isZero();
        assertThat(db.fetchCount(db.selectFrom("reservations")
                        .where("id = ?", repeat.reservation().id())))
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
        assertThat(db.fetchCount(db.selectFrom("reservation_holds")
                        .where("reservation_id = ?", free.reservation().id())))
                .isZero();
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
        assertThat(db.fetchCount(db.selectFrom("reservations")
                        .where("id = ?", routedBefore.reservation().id())))
                .isZero();
        assertThat(window(budget).get("reserved_usd", BigDecimal.class)).isEqualByComparingTo("0.002");
    }

    private static Booking booking(String budgetId) {
        Instant start = now().truncatedTo(ChronoUnit.DAYS);
        return new Booking(
                budgetId,
                start,
                start.plus(1, ChronoUnit.DAYS),
                "HARD budget '" + budgetId + "' has ",
                " USD left; this call may cost up to 0.002 USD");
    }

    private static List<Decision.Candidate> candidates() {
        return List.of(new Decision.Candidate("acme", "m", 500, 60_000));
    }

    private BookedDecision booked(String project, List<Booking> bookings) {
        DecisionRequest r = request(project, "classify", 1000, 500);
        return new BookedDecision(
                new NewDecision(UUID.randomUUID(), r, true, null, null, candidates(), now()),
                new NewReservation(UUID.randomUUID(), AMOUNT, now().plus(15, ChronoUnit.MINUTES)),
                bookings,
                budgets.definitionsVersion());
    }
}
