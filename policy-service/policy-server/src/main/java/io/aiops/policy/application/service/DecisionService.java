package io.aiops.policy.application.service;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetReservation;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.Decision.Candidate;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.in.DecideUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.DecisionStore.NewDecision;
import io.aiops.policy.application.port.out.DecisionStore.StoredDecision;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.application.port.out.ReservationStore.HeldReservation;
import io.aiops.policy.application.port.out.ReservationStore.Hold;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetWindow;
import io.aiops.policy.domain.CircuitHealth;
import io.aiops.policy.domain.LockOrder;
import io.aiops.policy.domain.ModelRouter;
import io.aiops.policy.domain.ModelRouter.Refused;
import io.aiops.policy.domain.ModelRouter.RouteRequest;
import io.aiops.policy.domain.ModelRouter.Routed;
import io.aiops.policy.domain.Money;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Decides AI calls: routes to candidates, then reserves the worst-case cost in every budget that covers the call, in
 * one transaction. HARD budgets are checked against their window row locked in that transaction (by the
 * {@code book_decisions} function for decisions only call budgets cover, by a conditional update otherwise), so the
 * cap holds however many requests and server instances race.
 */
public class DecisionService implements DecideUseCase {

    /** How many times a decision is made again when the budget definitions changed under it. */
    static final int STALE_ROUNDS = 5;

    private final DecisionStore decisions;
    private final ReservationStore reservations;
    private final BudgetStore budgets;
    private final DecisionDefinitions definitions;
    private final DecisionSettings settings;
    private final Clock clock;
    private final ModelRouter router;
    private final RedactionPolicies redactionPolicies;
    private final FailOpenPolicies failOpenPolicies;
    private final Supplier<Set<String>> openModels;
    private final DecisionBooker booker;
    private final TransactionOperations transactions;

    /**
     * {@code openModels} names the {@code provider/model}s whose circuit workers report open: such candidates are moved
     * to the end of the failover chain.
     */
    public DecisionService(
            DecisionStore decisions,
            ReservationStore reservations,
            BudgetStore budgets,
            DecisionDefinitions definitions,
            DecisionSettings settings,
            Clock clock,
            RedactionPolicies redactionPolicies,
            FailOpenPolicies failOpenPolicies,
            Supplier<Set<String>> openModels,
            DecisionBooker booker,
            TransactionOperations transactions) {
        this.openModels = openModels;
        this.booker = booker;
        this.transactions = transactions;
        this.decisions = decisions;
        this.reservations = reservations;
        this.budgets = budgets;
        this.definitions = definitions;
        this.settings = settings;
        this.clock = clock;
        this.router = new ModelRouter(settings.defaultTimeout().toMillis());
        this.redactionPolicies = redactionPolicies;
        this.failOpenPolicies = failOpenPolicies;
    }

    @Override
    public Decision decide(DecideCommand command, ApiPrincipal actor) {
        ProjectAccess.require(actor, command.project(), "project");
        DecisionRequest request = settings.requestOf(command);
        return withProjectTerms(request, decideNew(request));
    }

    /**
     * Tells the caller how to treat the texts it reports (the workflow's redaction as it stands now) and what it may
     * call should this service be unavailable next time.
     */
    private Decision withProjectTerms(DecisionRequest request, Decision decision) {
        return decision.withRedaction(redactionPolicies.forDecision(request.project(), request.bpmnProcessId()))
                .withFailOpen(failOpenPolicies.termsFor(request.project(), decision, definitions.prices()));
    }

    /**
     * No look-up first: a repeated key loses the insert and gets the stored decision (after checking that it belongs to
     * the same project and call), so the common case (a new key) costs nothing extra. An allowed decision that only call
     * budgets cover (the common case) is stored and booked by {@link DecisionBooker} in one round trip, its own
     * transaction; everything else runs in a transaction here.
     */
    private Decision decideNew(DecisionRequest request) {
        for (int round = 1; ; round++) {
            Decision decision = decideWith(request, definitions.budgetDefinitions());
            if (decision != null) {
                return decision;
            }
            // budgets changed through another replica since this one read them: read them again and decide anew
            definitions.budgetsChanged();
            if (round == STALE_ROUNDS) {
                throw new IllegalStateException(
                        "budget definitions kept changing while deciding " + request.idempotencyKey());
            }
        }
    }

    /** The decision, or null when {@code budgetSet} turned out to be older than the committed budget definitions. */
    private Decision decideWith(DecisionRequest request, BudgetStore.Definitions budgetSet) {
        // the database keeps microseconds: use them from the start so a re-read decision looks the same
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        ModelRouter.Route route = router.route(
                new RouteRequest(
                        request.project(),
                        request.taskKind(),
                        request.modelHint(),
                        request.estimatedInputTokens(),
                        request.maxOutputTokens(),
                        now.atZone(ZoneOffset.UTC).toLocalDate()),
                definitions.routingPolicies(),
                definitions.prices());
        UUID decisionId = UUID.randomUUID();

        if (route instanceof Refused refused) {
            NewDecision denied =
                    new NewDecision(decisionId, request, false, refused.reason(), refused.message(), List.of(), now);
            return inTransaction(
                    () -> decisions.insertIfAbsent(denied) ? toDecision(denied, null) : stored(request, now));
        }
        Routed routed = (Routed) route;
        // models whose circuit is open on the workers go to the end of the list
        List<Candidate> ordered = CircuitHealth.demoteOpen(routed.candidates(), openModels.get());
        NewDecision allowed = new NewDecision(decisionId, request, true, null, null, ordered, now);
        List<BudgetRule> covering = budgetSet.rules().stream()
                .filter(b -> b.covers(request.project(), request.bpmnProcessId(), request.processDefinitionKey()))
                .toList();
        // Locks are taken in one global order (ReservationStore.LOCK_ORDER), model budgets first and then the others,
        // each by id, so two transactions never wait for each other's window rows in opposite orders.
        List<BudgetRule> modelBudgets = sortedById(covering.stream().filter(BudgetRule::modelScoped));
        List<BudgetRule> callBudgets = sortedById(covering.stream().filter(b -> !b.modelScoped()));
        if (modelBudgets.isEmpty()) {
            return decideBooked(request, routed, allowed, callBudgets, now, budgetSet.version());
        }
        return inTransaction(() -> budgets.definitionsVersion() != budgetSet.version()
                ? null
                : decideWithModelBudgets(request, routed, allowed, modelBudgets, callBudgets, now));
    }

    /**
     * The common case: the amount is known before any booking (no model budget can drop candidates), so the decision,
     * its reservation and its holds go to the database in one call, batched with the other decisions waiting then.
     */
    private Decision decideBooked(
            DecisionRequest request,
            Routed routed,
            NewDecision allowed,
            List<BudgetRule> callBudgets,
            Instant now,
            long budgetsVersion) {
        BigDecimal amount = worstCaseOf(routed, allowed.candidates());
        UUID reservationId = UUID.randomUUID();
        Instant expiresAt = now.plus(settings.reservationTtlFor(allowed.candidates()));
        List<DecisionStore.Booking> bookings = new ArrayList<>(callBudgets.size());
        for (BudgetRule budget : callBudgets) {
            BudgetWindow window = budget.windowAt(now);
            bookings.add(new DecisionStore.Booking(
                    budget.id(), window.start(), window.end(), exceededPrefix(budget, window), exceededSuffix(amount)));
        }
        DecisionStore.BookingResult result = booker.book(new DecisionStore.BookedDecision(
                allowed, new DecisionStore.NewReservation(reservationId, amount, expiresAt), bookings, budgetsVersion));
        return switch (result.outcome()) {
            case ALLOWED -> toDecision(allowed, new BudgetReservation(reservationId, Money.shown(amount), expiresAt));
            case DENIED ->
                toDecision(
                        new NewDecision(
                                allowed.id(),
                                request,
                                false,
                                DenialReason.BUDGET_EXCEEDED,
                                result.denialMessage(),
                                List.of(),
                                now),
                        null);
            case CONFLICT -> inTransaction(() -> stored(request, now));
            case STALE -> null;
        };
    }

    private Decision decideWithModelBudgets(
            DecisionRequest request,
            Routed routed,
            NewDecision allowed,
            List<BudgetRule> modelBudgets,
            List<BudgetRule> callBudgets,
            Instant now) {
        UUID decisionId = allowed.id();
        List<Candidate> ordered = allowed.candidates();
        UUID reservationId = UUID.randomUUID();
        List<Hold> holds = new ArrayList<>();
        if (!decisions.insertIfAbsent(allowed)) {
            return stored(request, now);
        }
        // which candidates remain depends on the model budgets' room, and the amount on the remaining candidates
        List<Candidate> candidates = new ArrayList<>(ordered);
        List<String> modelDenials = new ArrayList<>();
        for (BudgetRule budget : modelBudgets) {
            List<Candidate> matching = candidates.stream()
                    .filter(c -> budget.coversModel(c.provider(), c.model()))
                    .toList();
            if (matching.isEmpty()) {
                continue;
            }
            BigDecimal modelAmount = worstCaseOf(routed, matching);
            BudgetWindow window = budget.windowAt(now);
            if (budgets.tryReserve(budget.id(), window, modelAmount)) {
                BudgetDefinition.BudgetScope scope = budget.definition().scope();
                holds.add(new Hold(budget.id(), window.start(), modelAmount, scope.provider(), scope.model()));
            } else {
                // this model has no room left: the call may still go to the other candidates
                candidates.removeAll(matching);
                modelDenials.add(exceededMessage(budget, window, modelAmount));
            }
        }
        if (candidates.isEmpty()) {
            return deny(
                    decisionId,
                    request,
                    holds,
                    null,
                    "no candidate model fits its model budget: " + String.join("; ", modelDenials),
                    now);
        }
        // holds of model budgets whose every candidate was dropped afterwards are given back
        List<Candidate> kept = List.copyOf(candidates);
        for (var it = holds.iterator(); it.hasNext(); ) {
            Hold hold = it.next();
            if (kept.stream().noneMatch(c -> hold.counts(c.provider(), c.model()))) {
                budgets.settle(hold.budgetId(), hold.windowStart(), hold.amountUsd(), BigDecimal.ZERO);
                it.remove();
            }
        }
        BigDecimal amount = worstCaseOf(routed, kept);
        Instant expiresAt = now.plus(settings.reservationTtlFor(kept));
        if (kept.size() < ordered.size()) {
            decisions.replaceCandidates(decisionId, kept);
            allowed = new NewDecision(decisionId, request, true, null, null, kept, now);
        }
        reservations.insert(
                new HeldReservation(reservationId, decisionId, amount, ReservationStore.Status.OPEN, expiresAt, holds),
                now);
        // Last: each booking writes its hold in the same statement. A hot window row is locked from its booking to the
        // commit right after it, and nothing else waits inside that lock.
        for (BudgetRule budget : callBudgets) {
            BudgetWindow window = budget.windowAt(now);
            if (!budgets.tryReserveAndHold(reservationId, budget.id(), window, amount)) {
                return deny(decisionId, request, holds, reservationId, exceededMessage(budget, window, amount), now);
            }
            holds.add(new Hold(budget.id(), window.start(), amount));
        }
        return toDecision(allowed, new BudgetReservation(reservationId, Money.shown(amount), expiresAt));
    }

    private Decision inTransaction(Supplier<Decision> work) {
        return transactions.execute(status -> work.get());
    }

    /**
     * Gives back what was held so far, removes the reservation (when one was written) and turns the decision into a
     * BUDGET_EXCEEDED denial.
     */
    private Decision deny(
            UUID decisionId,
            DecisionRequest request,
            List<Hold> holds,
            UUID reservationId,
            String message,
            Instant now) {
        for (Hold hold : holds) {
            budgets.settle(hold.budgetId(), hold.windowStart(), hold.amountUsd(), BigDecimal.ZERO);
        }
        if (reservationId != null) {
            reservations.delete(reservationId);
        }
        decisions.markDenied(decisionId, DenialReason.BUDGET_EXCEEDED, message);
        return toDecision(
                new NewDecision(decisionId, request, false, DenialReason.BUDGET_EXCEEDED, message, List.of(), now),
                null);
    }

    private static List<BudgetRule> sortedById(java.util.stream.Stream<BudgetRule> budgets) {
        return budgets.sorted(Comparator.comparing(BudgetRule::id, LockOrder.BUDGET_IDS))
                .toList();
    }

    /** The most the call can cost when it may try any of {@code candidates}. */
    private static BigDecimal worstCaseOf(Routed routed, List<Candidate> candidates) {
        return candidates.stream()
                .map(c -> routed.worstCaseCosts().get(c.provider() + "/" + c.model()))
                .max(Comparator.naturalOrder())
                .orElse(BigDecimal.ZERO)
                .setScale(Money.SCALE);
    }

    private String exceededMessage(BudgetRule budget, BudgetWindow window, BigDecimal amount) {
        BudgetStore.WindowFigures figures = budgets.figures(budget.id(), window.start());
        BigDecimal remaining = budget.definition()
                .limitUsd()
                .subtract(figures.spentUsd())
                .subtract(figures.reservedUsd())
                .max(BigDecimal.ZERO);
        return exceededPrefix(budget, window) + Money.shown(remaining).toPlainString() + exceededSuffix(amount);
    }

    /** A denial message reads {@code exceededPrefix + remaining USD + exceededSuffix}. */
    private static String exceededPrefix(BudgetRule budget, BudgetWindow window) {
        return "HARD budget '" + budget.id() + "' (" + budget.definition().period() + " limit "
                + Money.shown(budget.definition().limitUsd()).toPlainString() + " USD, window from " + window.start()
                + ") has ";
    }

    private static String exceededSuffix(BigDecimal amount) {
        return " USD left; this call may cost up to " + Money.shown(amount).toPlainString() + " USD";
    }

    /**
     * The decision stored under the request's idempotency key: the same call asked again (a redelivered job). A key of
     * another project is refused, and so is a key reused for a different call, which must not receive another call's
     * answer (and money).
     */
    private Decision stored(DecisionRequest request, Instant now) {
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
    private static String differenceOf(DecisionRequest stored, DecisionRequest repeated) {
        if (!Objects.equals(stored.processInstanceKey(), repeated.processInstanceKey())) {
            return "processInstanceKey " + stored.processInstanceKey() + " before, " + repeated.processInstanceKey()
                    + " now";
        }
        if (!Objects.equals(stored.elementInstanceKey(), repeated.elementInstanceKey())) {
            return "elementInstanceKey " + stored.elementInstanceKey() + " before, " + repeated.elementInstanceKey()
                    + " now";
        }
        if (!Objects.equals(stored.bpmnProcessId(), repeated.bpmnProcessId())) {
            return "bpmnProcessId '" + stored.bpmnProcessId() + "' before, '" + repeated.bpmnProcessId() + "' now";
        }
        if (!Objects.equals(stored.taskKind(), repeated.taskKind())) {
            return "taskKind '" + stored.taskKind() + "' before, '" + repeated.taskKind() + "' now";
        }
        return null;
    }

    /**
     * A redelivered job whose allowed decision's reservation expired (its worker crashed, or took longer than the
     * reservation's TTL): the call is about to run again with no money held, which could overrun a HARD cap. Hold the
     * same amounts again in the same budgets (in the windows current now, with a new expiry), or, when a budget has no
     * room left, turn the decision into a BUDGET_EXCEEDED denial.
     */
    private Decision holdAgain(StoredDecision stored, Instant now) {
        UUID decisionId = stored.decision().decisionId();
        // concurrent redeliveries, an outcome and the expiry job all lock this row first: one of them acts, the others
        // see what it did
        HeldReservation expired = reservations
                .lockByDecision(decisionId)
                .orElseThrow(() -> new IllegalStateException("allowed decision without reservation: " + decisionId));
        if (expired.status() != ReservationStore.Status.EXPIRED) {
            return decisions.findById(decisionId).orElseThrow().decision();
        }
        // a late outcome may have been recorded while this request waited for the lock: the call ran, nothing to hold
        Decision current = decisions.findById(decisionId).orElseThrow().decision();
        if (current.settledCall() != null) {
            return current;
        }
        Map<String, BudgetRule> byId = new HashMap<>();
        definitions.budgets().forEach(b -> byId.put(b.id(), b));
        List<Hold> again = new ArrayList<>();
        // holds come in LOCK_ORDER, the order decisions book in
        for (Hold hold : expired.holds()) {
            BudgetRule budget = byId.get(hold.budgetId());
            if (budget == null) {
                budget = budgets.findById(hold.budgetId()).orElse(null);
            }
            if (budget == null) {
                continue;
            }
            BudgetWindow window = budget.windowAt(now);
            if (!budgets.tryReserve(budget.id(), window, hold.amountUsd())) {
                for (Hold held : again) {
                    budgets.settle(held.budgetId(), held.windowStart(), held.amountUsd(), BigDecimal.ZERO);
                }
                String message = "the reservation of this decision expired before its outcome arrived, and "
                        + exceededMessage(budget, window, hold.amountUsd());
                decisions.markDenied(decisionId, DenialReason.BUDGET_EXCEEDED, message);
                reservations.recordEvent(
                        expired.id(), ReservationStore.EventKind.REHOLD_DENIED, BigDecimal.ZERO, BigDecimal.ZERO, now);
                return new Decision(decisionId, false, DenialReason.BUDGET_EXCEEDED, message, List.of(), null, null);
            }
            again.add(new Hold(
                    hold.budgetId(), window.start(), hold.amountUsd(), hold.modelProvider(), hold.modelName()));
        }
        Decision before = stored.decision();
        Instant expiresAt = now.plus(settings.reservationTtlFor(before.candidates()));
        reservations.reopen(expired.id(), expired.amountUsd(), again, expiresAt, now);
        return new Decision(
                decisionId,
                true,
                null,
                null,
                before.candidates(),
                new BudgetReservation(expired.id(), Money.shown(expired.amountUsd()), expiresAt),
                null);
    }

    private static Decision toDecision(NewDecision d, BudgetReservation reservation) {
        return new Decision(d.id(), d.allowed(), d.reason(), d.reasonMessage(), d.candidates(), reservation, null);
    }
}
