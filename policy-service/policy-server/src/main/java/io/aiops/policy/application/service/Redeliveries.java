package io.aiops.policy.application.service;

import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.DecisionStore.BookedDecision;
import io.aiops.policy.application.port.out.DecisionStore.Booking;
import io.aiops.policy.application.port.out.DecisionStore.BookingResult;
import io.aiops.policy.application.port.out.DecisionStore.CandidateTerms;
import io.aiops.policy.application.port.out.DecisionStore.NewDecision;
import io.aiops.policy.application.port.out.DecisionStore.StoredDecision;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.application.port.out.ReservationStore.HeldReservation;
import io.aiops.policy.application.port.out.ReservationStore.Hold;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.call.CallDecision;
import io.aiops.policy.domain.call.DenialReason;
import io.aiops.policy.domain.call.Reservation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answers a repeated idempotency key (a redelivered job) with the decision stored under it. A key of another project
 * is refused, and so is a key reused for a different call, which must not receive another call's answer (and money).
 * An allowed decision whose reservation expired before its outcome arrived holds its money again, through the same
 * booking as every decision.
 */
final class Redeliveries {

    private final DecisionStore decisions;
    private final ReservationStore reservations;
    private final BudgetStore budgets;
    private final DecisionDefinitions definitions;
    private final DecisionSettings settings;
    private final DecisionBooker booker;

    Redeliveries(
            DecisionStore decisions,
            ReservationStore reservations,
            BudgetStore budgets,
            DecisionDefinitions definitions,
            DecisionSettings settings,
            DecisionBooker booker) {
        this.decisions = decisions;
        this.reservations = reservations;
        this.budgets = budgets;
        this.definitions = definitions;
        this.settings = settings;
        this.booker = booker;
    }

    /**
     * The decision stored under the request's idempotency key, its money held again when its reservation expired; null
     * when the budget definitions changed since this replica read them (decide again).
     */
    CallDecision answer(DecideCommand request, Instant now) {
        StoredDecision winner = decisions
                .findByIdempotencyKey(request.idempotencyKey())
                .orElseThrow(() -> new IllegalStateException(
                        "decision vanished after a key conflict: " + request.idempotencyKey()));
        if (!winner.request().project().equals(request.project())) {
            throw new RequestRejected(
                    RequestRejected.Kind.FORBIDDEN,
                    "idempotencyKey",
                    "idempotencyKey is taken by a decision of another project");
        }
        String difference = differenceOf(winner.request(), request);
        if (difference != null) {
            throw new RequestRejected(
                    RequestRejected.Kind.CONFLICT,
                    "idempotencyKey",
                    "idempotencyKey '" + request.idempotencyKey() + "' was used for another call (" + difference
                            + "); use a key per job or element instance");
        }
        if (winner.decision().allowed()
                && winner.reservationStatus() == ReservationStore.Status.EXPIRED
                && winner.decision().settledCall() == null) {
            return holdAgain(winner, now);
        }
        return winner.decision();
    }

    /** The identifying field in which {@code repeated} differs from the stored request, or null when none does. */
    private static String differenceOf(DecideCommand stored, DecideCommand repeated) {
        ProcessCoordinates before = stored.where();
        ProcessCoordinates now = repeated.where();
        if (!Objects.equals(before.processInstanceKey(), now.processInstanceKey())) {
            return "processInstanceKey " + before.processInstanceKey() + " before, " + now.processInstanceKey()
                    + " now";
        }
        if (!Objects.equals(before.elementInstanceKey(), now.elementInstanceKey())) {
            return "elementInstanceKey " + before.elementInstanceKey() + " before, " + now.elementInstanceKey()
                    + " now";
        }
        if (!Objects.equals(before.bpmnProcessId(), now.bpmnProcessId())) {
            return "bpmnProcessId '" + before.bpmnProcessId() + "' before, '" + now.bpmnProcessId() + "' now";
        }
        if (!Objects.equals(stored.taskKind(), repeated.taskKind())) {
            return "taskKind '" + stored.taskKind() + "' before, '" + repeated.taskKind() + "' now";
        }
        return null;
    }

    /**
     * A redelivered job whose allowed decision's reservation expired (its worker crashed, or took longer than the
     * reservation's TTL): the call is about to run again with no money held, which could overrun a HARD cap. The same
     * amounts are held again in the same budgets (in the windows current now, with a new expiry), or, when a budget has
     * no room left, the decision turns into a BUDGET_EXCEEDED denial. The booking locks the reservation first:
     * concurrent redeliveries, an outcome and the expiry job all do, so one of them acts and the others see what it did.
     */
    private CallDecision holdAgain(StoredDecision stored, Instant now) {
        CallDecision before = stored.decision();
        HeldReservation expired = reservations
                .findByDecision(before.decisionId())
                .orElseThrow(() ->
                        new IllegalStateException("allowed decision without reservation: " + before.decisionId()));
        BudgetStore.Definitions budgetSet = definitions.budgetDefinitions();
        Map<String, BudgetRule> byId = new HashMap<>();
        budgetSet.rules().forEach(b -> byId.put(b.id(), b));
        List<Booking> bookings = new ArrayList<>();
        // holds come in LOCK_ORDER, the order decisions book in
        for (Hold hold : expired.holds()) {
            BudgetRule budget = byId.get(hold.budgetId());
            if (budget == null) {
                budget = budgets.findById(hold.budgetId()).orElse(null);
            }
            if (budget != null) {
                bookings.add(DecisionService.booking(budget, budget.windowAt(now), hold.amountUsd()));
            }
        }
        List<CandidateTerms> terms = before.candidates().stream()
                .map(c -> new CandidateTerms(BigDecimal.ZERO, settings.chainSpanOf(c)))
                .toList();
        NewDecision again =
                new NewDecision(before.decisionId(), stored.request(), true, null, null, before.candidates(), now);
        BookingResult result = booker.book(new BookedDecision(
                again,
                expired.id(),
                terms,
                bookings,
                budgetSet.version(),
                true,
                settings.reservationTtl(),
                DecisionSettings.MAX_CHAIN_LIFETIME));
        return switch (result.outcome()) {
            case ALLOWED ->
                new CallDecision(
                        before.decisionId(),
                        true,
                        null,
                        null,
                        before.candidates(),
                        new Reservation(expired.id(), Money.shown(result.amountUsd()), result.expiresAt()),
                        null);
            case DENIED ->
                new CallDecision(
                        before.decisionId(),
                        false,
                        DenialReason.BUDGET_EXCEEDED,
                        result.denialMessage(),
                        List.of(),
                        null,
                        null);
            // held again by another redelivery, or its outcome arrived meanwhile: the decision as it stands now
            case UNCHANGED, CONFLICT ->
                decisions.findById(before.decisionId()).orElseThrow().decision();
            case STALE -> null;
        };
    }
}
