package io.aiops.policy.application.service;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.in.RecordOutcomeCommand.AttemptCommand;
import io.aiops.policy.application.port.in.RecordUnapprovedCallUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.in.UnapprovedCallCommand;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.CallLedger;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.DecisionStore.NewDecision;
import io.aiops.policy.application.port.out.DecisionStore.StoredDecision;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.application.port.out.ReservationStore.HeldReservation;
import io.aiops.policy.application.port.out.ReservationStore.Hold;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetWindow;
import io.aiops.policy.domain.StoredText;
import io.aiops.policy.domain.call.Candidate;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records the calls workers made without a decision while this service was unavailable (a project's
 * {@code FAIL_OPEN_CAPPED} setting). The worker's decision is stored as it would have been, flagged unapproved, with a
 * reservation that holds nothing in every budget window that covers the call at the time it was decided; the outcome
 * then takes the one outcome path (priced with the prices in force at that time, posted to those windows, audited),
 * so the money shows up where every other call's does, above a HARD cap if need be: it has been spent.
 */
public class UnapprovedCallService implements RecordUnapprovedCallUseCase {

    /** How far a worker's clock may run ahead of this service's before its {@code decidedAt} is refused. */
    static final Duration MAX_CLOCK_AHEAD = Duration.ofMinutes(5);

    private final DecisionStore decisions;
    private final ReservationStore reservations;
    private final BudgetStore budgets;
    private final CallLedger ledger;
    private final DecisionSettings settings;
    private final OutcomeService outcomes;
    private final Clock clock;

    public UnapprovedCallService(
            DecisionStore decisions,
            ReservationStore reservations,
            BudgetStore budgets,
            CallLedger ledger,
            DecisionSettings settings,
            OutcomeService outcomes,
            Clock clock) {
        this.decisions = decisions;
        this.reservations = reservations;
        this.budgets = budgets;
        this.ledger = ledger;
        this.settings = settings;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    @Override
    @Transactional
    public OutcomeReceipt recordUnapproved(UnapprovedCallCommand command, ApiPrincipal actor) {
        ProjectAccess.require(actor, command.request().project(), "request.project");
        UUID decisionId = command.decisionId();
        String key = "unapproved:" + decisionId;
        DecideCommand request = settings.requestOf(command.request()).withIdempotencyKey(key);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant decidedAt = command.decidedAt().truncatedTo(ChronoUnit.MICROS);
        if (decidedAt.isAfter(now.plus(MAX_CLOCK_AHEAD))) {
            throw RequestRejected.invalid(
                    "decidedAt",
                    "decidedAt " + command.decidedAt() + " is more than " + MAX_CLOCK_AHEAD.toMinutes()
                            + " minutes ahead of this service's clock (" + now + ")");
        }
        if (decidedAt.isAfter(now)) {
            decidedAt = now;
        }
        Optional<OutcomeReceipt> recorded = recordedBefore(decisionId, key, request);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        List<Candidate> tried = triedModels(command.outcome().attempts());
        if (!decisions.insertUnapprovedIfAbsent(
                new NewDecision(decisionId, request, true, null, null, tried, decidedAt))) {
            throw new RequestRejected(
                    RequestRejected.Kind.CONFLICT,
                    "decisionId",
                    "idempotency key " + key + " is taken by another decision");
        }
        List<Hold> holds = zeroHolds(request, tried, decidedAt);
        reservations.insert(
                new HeldReservation(
                        UUID.randomUUID(), decisionId, BigDecimal.ZERO, ReservationStore.Status.OPEN, now, holds),
                now);
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("decidedAt", decidedAt.toString());
        note.put("decidedBy", command.worker() == null ? actor.name() : command.worker());
        note.put("unapprovedReason", command.reason() == null ? null : StoredText.encode(command.reason()));
        return outcomes.recordOutcome(decisionId, command.outcome(), actor, note);
    }

    /**
     * The receipt of this call when it was recorded before (the worker posts again until it gets an answer); empty when
     * the decision id is new. An id taken by another decision or project is refused.
     */
    private Optional<OutcomeReceipt> recordedBefore(UUID decisionId, String key, DecideCommand request) {
        Optional<StoredDecision> existing = decisions.findById(decisionId);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        StoredDecision stored = existing.get();
        if (!stored.request().project().equals(request.project())) {
            throw new RequestRejected(
                    RequestRejected.Kind.FORBIDDEN,
                    "decisionId",
                    "decisionId " + decisionId + " belongs to a decision of another project");
        }
        if (!stored.unapproved() || !stored.request().idempotencyKey().equals(key)) {
            throw new RequestRejected(
                    RequestRejected.Kind.CONFLICT,
                    "decisionId",
                    "decisionId " + decisionId + " belongs to a decision this service made; report its outcome to"
                            + " /api/v1/decisions/" + decisionId + "/outcome");
        }
        Long recordedFor = stored.request().where().elementInstanceKey();
        Long reportedFor = request.where().elementInstanceKey();
        if (!recordedFor.equals(reportedFor)) {
            throw new RequestRejected(
                    RequestRejected.Kind.CONFLICT,
                    "decisionId",
                    "decisionId " + decisionId + " was recorded for element instance " + recordedFor + ", not "
                            + reportedFor);
        }
        return ledger.receiptOf(decisionId).map(ApiMapping::toApi);
    }

    /** The models the attempts went to, in order, each once: the decision's candidates. */
    private static List<Candidate> triedModels(List<AttemptCommand> attempts) {
        Set<List<String>> seen = new LinkedHashSet<>();
        attempts.forEach(a -> seen.add(List.of(a.provider(), a.model())));
        return seen.stream().map(m -> new Candidate(m.get(0), m.get(1), 0, 0)).toList();
    }

    /**
     * A hold of nothing in the window, at {@code decidedAt}, of every budget covering the call (a model budget only when
     * it covers a model tried), in lock order: where the outcome posts the cost.
     */
    private List<Hold> zeroHolds(DecideCommand request, List<Candidate> tried, Instant decidedAt) {
        record Held(Hold hold, BudgetWindow window) {}
        List<Held> held = new ArrayList<>();
        for (BudgetRule budget : budgets.findAll()) {
            if (!budget.covers(
                    request.project(),
                    request.where().bpmnProcessId(),
                    request.where().processDefinitionKey())) {
                continue;
            }
            if (budget.modelScoped() && tried.stream().noneMatch(c -> budget.coversModel(c.provider(), c.model()))) {
                continue;
            }
            BudgetWindow window = budget.windowAt(decidedAt);
            BudgetDefinition.BudgetScope scope = budget.definition().scope();
            held.add(new Held(
                    budget.modelScoped()
                            ? new Hold(budget.id(), window.start(), BigDecimal.ZERO, scope.provider(), scope.model())
                            : new Hold(budget.id(), window.start(), BigDecimal.ZERO),
                    window));
        }
        held.sort(Comparator.comparing(Held::hold, ReservationStore.LOCK_ORDER));
        // a window of a past period may not exist yet; created in lock order, as every transaction takes window rows
        held.forEach(h -> budgets.openWindow(h.hold().budgetId(), h.window()));
        return held.stream().map(Held::hold).toList();
    }
}
