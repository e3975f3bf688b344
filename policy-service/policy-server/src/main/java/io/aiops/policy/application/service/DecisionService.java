package io.aiops.policy.application.service;

import io.aiops.policy.api.Decision;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.in.DecideUseCase;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.DecisionStore.BookedDecision;
import io.aiops.policy.application.port.out.DecisionStore.Booking;
import io.aiops.policy.application.port.out.DecisionStore.BookingResult;
import io.aiops.policy.application.port.out.DecisionStore.CandidateTerms;
import io.aiops.policy.application.port.out.DecisionStore.NewDecision;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetWindow;
import io.aiops.policy.domain.CircuitHealth;
import io.aiops.policy.domain.LockOrder;
import io.aiops.policy.domain.ModelRouter;
import io.aiops.policy.domain.ModelRouter.Refused;
import io.aiops.policy.domain.ModelRouter.RouteRequest;
import io.aiops.policy.domain.ModelRouter.Routed;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.call.CallDecision;
import io.aiops.policy.domain.call.Candidate;
import io.aiops.policy.domain.call.DenialReason;
import io.aiops.policy.domain.call.Reservation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Decides AI calls: routes to candidates, then books the decision through {@link DecisionBooker}, the one booking path:
 * the {@code book_decisions} function stores it, reserves the worst-case cost in every budget that covers the call
 * (model budgets may drop candidates that do not fit) and checks HARD budgets against their window rows, locked in
 * that call, so the cap holds however many requests and server instances race. A repeated idempotency key is answered
 * by {@link Redeliveries}.
 */
public class DecisionService implements DecideUseCase {

    /** How many times a decision is made again when the budget definitions changed under it. */
    static final int STALE_ROUNDS = 5;

    private final DecisionStore decisions;
    private final DecisionDefinitions definitions;
    private final DecisionSettings settings;
    private final Clock clock;
    private final ModelRouter router;
    private final RedactionPolicies redactionPolicies;
    private final FailOpenPolicies failOpenPolicies;
    private final Supplier<Set<String>> openModels;
    private final DecisionBooker booker;
    private final Redeliveries redeliveries;

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
            DecisionBooker booker) {
        this.decisions = decisions;
        this.definitions = definitions;
        this.settings = settings;
        this.clock = clock;
        this.redactionPolicies = redactionPolicies;
        this.failOpenPolicies = failOpenPolicies;
        this.openModels = openModels;
        this.booker = booker;
        this.router = new ModelRouter(settings.defaultTimeout().toMillis());
        this.redeliveries = new Redeliveries(decisions, reservations, budgets, definitions, settings, booker);
    }

    @Override
    public Decision decide(DecideCommand command, ApiPrincipal actor) {
        ProjectAccess.require(actor, command.project(), "project");
        DecideCommand request = settings.requestOf(command);
        return withProjectTerms(request, ApiMapping.toApi(decideNew(request)));
    }

    /**
     * Tells the caller how to treat the texts it reports (the workflow's redaction as it stands now) and what it may
     * call should this service be unavailable next time.
     */
    private Decision withProjectTerms(DecideCommand request, Decision decision) {
        return decision.withRedaction(redactionPolicies.forDecision(
                        request.project(), request.where().bpmnProcessId()))
                .withFailOpen(failOpenPolicies.termsFor(request.project(), decision, definitions.prices()));
    }

    /**
     * No look-up first: a repeated key loses the insert and gets the stored decision (after checking that it belongs to
     * the same project and call), so the common case (a new key) costs nothing extra. An allowed decision is stored and
     * booked by {@link DecisionBooker} in one round trip, its own transaction.
     */
    private CallDecision decideNew(DecideCommand request) {
        for (int round = 1; ; round++) {
            CallDecision decision = decideWith(request, definitions.budgetDefinitions());
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
    private CallDecision decideWith(DecideCommand request, BudgetStore.Definitions budgetSet) {
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
            // a refusal holds no money: stored as it is (one statement), or the key's earlier decision answers
            NewDecision denied =
                    new NewDecision(decisionId, request, false, refused.reason(), refused.message(), List.of(), now);
            return decisions.insertIfAbsent(denied) ? toDecision(denied, null) : redeliveries.answer(request, now);
        }
        Routed routed = (Routed) route;
        // models whose circuit is open on the workers go to the end of the list
        List<Candidate> ordered = CircuitHealth.demoteOpen(routed.candidates(), openModels.get());
        NewDecision allowed = new NewDecision(decisionId, request, true, null, null, ordered, now);
        List<Booking> bookings = budgetSet.rules().stream()
                .filter(b -> b.covers(
                        request.project(),
                        request.where().bpmnProcessId(),
                        request.where().processDefinitionKey()))
                .sorted(BOOKING_ORDER)
                .map(budget -> booking(budget, budget.windowAt(now), null))
                .toList();
        List<CandidateTerms> terms = ordered.stream()
                .map(c -> new CandidateTerms(
                        routed.worstCaseCosts()
                                .get(c.provider() + "/" + c.model())
                                .setScale(Money.SCALE),
                        settings.chainSpanOf(c)))
                .toList();
        UUID reservationId = UUID.randomUUID();
        BookingResult result = booker.book(new BookedDecision(
                allowed,
                reservationId,
                terms,
                bookings,
                budgetSet.version(),
                false,
                settings.reservationTtl(),
                DecisionSettings.MAX_CHAIN_LIFETIME));
        return switch (result.outcome()) {
            case ALLOWED -> {
                // no list: the chain was kept whole
                List<Candidate> kept = result.keptCandidates() == null
                        ? ordered
                        : result.keptCandidates().stream().map(ordered::get).toList();
                yield toDecision(
                        new NewDecision(decisionId, request, true, null, null, kept, now),
                        new Reservation(reservationId, Money.shown(result.amountUsd()), result.expiresAt()));
            }
            case DENIED ->
                toDecision(
                        new NewDecision(
                                decisionId,
                                request,
                                false,
                                DenialReason.BUDGET_EXCEEDED,
                                result.denialMessage(),
                                List.of(),
                                now),
                        null);
            case CONFLICT -> redeliveries.answer(request, now);
            case STALE -> null;
            case UNCHANGED ->
                throw new IllegalStateException("a new decision was booked as a redelivery: " + decisionId);
        };
    }

    /**
     * The one order bookings are made (and so window rows locked) in, {@link ReservationStore#LOCK_ORDER}'s: model
     * budgets first, then the others, each by budget id.
     */
    static final Comparator<BudgetRule> BOOKING_ORDER = Comparator.comparing((BudgetRule b) -> !b.modelScoped())
            .thenComparing(BudgetRule::id, LockOrder.BUDGET_IDS);

    /**
     * The booking of a decision in {@code budget}'s {@code window}: a model budget's names its model; {@code amountUsd}
     * is set for a redelivery only.
     */
    static Booking booking(BudgetRule budget, BudgetWindow window, BigDecimal amountUsd) {
        var scope = budget.definition().scope();
        String prefix = "HARD budget '" + budget.id() + "' ("
                + budget.definition().period() + " limit "
                + Money.shown(budget.definition().limitUsd()).toPlainString() + " USD, window from " + window.start()
                + ") has ";
        return budget.modelScoped()
                ? new Booking(
                        budget.id(), window.start(), window.end(), prefix, scope.provider(), scope.model(), amountUsd)
                : new Booking(budget.id(), window.start(), window.end(), prefix, null, null, amountUsd);
    }

    static CallDecision toDecision(NewDecision d, Reservation reservation) {
        return new CallDecision(d.id(), d.allowed(), d.reason(), d.reasonMessage(), d.candidates(), reservation, null);
    }
}
