package io.aiops.policy.application.service;

import io.aiops.core.TokenUsage;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.TextRedaction;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.in.RecordOutcomeCommand;
import io.aiops.policy.application.port.in.RecordOutcomeCommand.AttemptCommand;
import io.aiops.policy.application.port.in.RecordOutcomeUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.AuditLog;
import io.aiops.policy.application.port.out.AuditLog.NewAuditEntry;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.CallLedger;
import io.aiops.policy.application.port.out.CallLedger.NewCall;
import io.aiops.policy.application.port.out.CallLedger.PricedAttempt;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.DecisionStore.StoredDecision;
import io.aiops.policy.application.port.out.PromptStore;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.application.port.out.ReservationStore.HeldReservation;
import io.aiops.policy.application.port.out.ReservationStore.Hold;
import io.aiops.policy.application.port.out.ScoreStore;
import io.aiops.policy.domain.ModelPricing;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.StoredText;
import io.aiops.policy.domain.audit.AuditKind;
import io.aiops.policy.domain.call.CallReceipt;
import io.aiops.policy.domain.call.CallStatus;
import io.aiops.policy.domain.quality.CallScore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records the outcome of a decision: prices every attempt from the catalog, writes the call and its attempts, and
 * settles the reservation (actual cost posted, the rest released), raises the budget threshold alerts this posting
 * crossed and appends one audit entry per attempt, all in one transaction. Texts are redacted per the workflow's mode before anything is written.
 */
public class OutcomeService implements RecordOutcomeUseCase {

    private final DecisionStore decisions;
    private final ReservationStore reservations;
    private final BudgetStore budgets;
    private final CatalogStore catalog;
    private final CallLedger ledger;
    private final Clock clock;
    private final RedactionPolicies redactionPolicies;
    private final AuditLog audit;
    private final AlertEvaluationService alerts;
    private final ScoreStore scores;
    private final PromptStore prompts;

    public OutcomeService(
            DecisionStore decisions,
            ReservationStore reservations,
            BudgetStore budgets,
            CatalogStore catalog,
            CallLedger ledger,
            Clock clock,
            RedactionPolicies redactionPolicies,
            AuditLog audit,
            AlertEvaluationService alerts,
            ScoreStore scores,
            PromptStore prompts) {
        this.decisions = decisions;
        this.reservations = reservations;
        this.budgets = budgets;
        this.catalog = catalog;
        this.ledger = ledger;
        this.clock = clock;
        this.redactionPolicies = redactionPolicies;
        this.audit = audit;
        this.alerts = alerts;
        this.scores = scores;
        this.prompts = prompts;
    }

    @Override
    @Transactional
    public OutcomeReceipt recordOutcome(UUID decisionId, RecordOutcomeCommand command, ApiPrincipal actor) {
        return recordOutcome(decisionId, command, actor, Map.of());
    }

    /**
     * As {@link #recordOutcome(UUID, RecordOutcomeCommand, ApiPrincipal)}; {@code auditNote} goes into the payload of
     * the call's last audit entry (how an unapproved call came about).
     */
    @Transactional
    public OutcomeReceipt recordOutcome(
            UUID decisionId, RecordOutcomeCommand command, ApiPrincipal actor, Map<String, Object> auditNote) {
        List<TokenUsage> usages = usagesOf(command.attempts());
        StoredDecision decision =
                decisions.findById(decisionId).orElseThrow(() -> RequestRejected.notFound("no decision " + decisionId));
        ProjectAccess.require(actor, decision.request().project(), "decisionId");
        // the lock makes a concurrent second post wait here and then find the first one's receipt
        HeldReservation reservation = reservations.lockByDecision(decisionId).orElse(null);
        if (reservation == null) {
            if (!decision.decision().allowed()) {
                throw new RequestRejected(
                        RequestRejected.Kind.CONFLICT,
                        null,
                        "decision " + decisionId + " was denied ("
                                + decision.decision().reason() + "); it has no call to record");
            }
            throw new IllegalStateException("allowed decision without reservation: " + decisionId);
        }
        // A denied decision with a reservation was allowed once: its reservation expired and a redelivery found no room
        // to hold it again. The first delivery's call may still have run (a slow worker, not a dead one): its money was
        // spent and is recorded as a late outcome.
        var recorded = ledger.receiptOf(decisionId);
        if (recorded.isPresent()) {
            return ApiMapping.toApi(recorded.get());
        }

        List<PricedAttempt> attempts = new ArrayList<>();
        for (int i = 0; i < command.attempts().size(); i++) {
            AttemptCommand attempt = command.attempts().get(i);
            String field = "attempts[" + i + "].model";
            ModelPricing pricing =
                    // the price version in force when the call was decided: a later price change never reprices it
                    catalog.findInForce(attempt.provider(), attempt.model(), decision.createdAt())
                            .map(ModelPricing::new)
                            .orElseThrow(() -> new RequestRejected(
                                    RequestRejected.Kind.UNKNOWN_MODEL,
                                    field,
                                    "model " + attempt.provider() + "/" + attempt.model() + " is not in the catalog"));
            TokenUsage usage = usages.get(i);
            attempts.add(new PricedAttempt(
                    i + 1,
                    attempt.provider(),
                    attempt.model(),
                    usage,
                    orZero(attempt.latencyMs()),
                    ApiMapping.toDomain(attempt.status()),
                    attempt.errorClass(),
                    pricing.costOf(usage).setScale(Money.SCALE)));
        }

        BigDecimal cost = attempts.stream().map(PricedAttempt::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // applied here too, so text a worker sent unredacted (an older worker, a bug) is never written as is
        TextRedaction redaction = redactionPolicies.forWorkflow(
                decision.request().project(), decision.request().where().bpmnProcessId());
        UUID callId = UUID.randomUUID();
        // checked before anything is written
        List<CallScore> callScores =
                ScoreRules.toLedger("scores", command.scores(), attempts.size(), callId, null, redaction, actor, now);
        requirePrompt(command, decision.request().project());
        BigDecimal released = recordSettlement(reservation, cost, now);
        PricedAttempt decisive = attempts.stream()
                .filter(a -> a.status() == CallStatus.SUCCEEDED)
                .findFirst()
                .orElse(attempts.getLast());
        // stored exactly: NUL and unpaired surrogates (which PostgreSQL refuses) are escaped, and read back unescaped
        String requestText = StoredText.encode(redaction.apply(command.requestText()));
        String responseText = StoredText.encode(redaction.apply(command.responseText()));
        NewCall call = new NewCall(
                callId,
                decisionId,
                decisive.status() == CallStatus.SUCCEEDED ? CallStatus.SUCCEEDED : CallStatus.FAILED,
                decisive.provider(),
                decisive.model(),
                attempts.stream().map(PricedAttempt::usage).reduce(TokenUsage.NONE, TokenUsage::plus),
                attempts.stream().mapToLong(PricedAttempt::latencyMs).sum(),
                cost,
                released,
                command.qualityScores(),
                requestText,
                responseText,
                now,
                attempts,
                command.promptName(),
                command.promptVersion(),
                command.traceId());
        if (!ledger.insertIfAbsent(call)) {
            throw new IllegalStateException("outcome of decision " + decisionId + " recorded concurrently");
        }
        scores.appendOutcomeScores(call.id(), callScores);
        audit.append(auditEntries(decision, call, callScores, redaction.mode(), actor, auditNote));
        // last, so the (often contended) window rows stay locked only from these updates to the commit
        postToBudgetWindows(reservation, attempts);
        return ApiMapping.toApi(new CallReceipt(call.id(), Money.shown(cost), call.status(), Money.shown(released)));
    }

    /** The prompt version the call names exists, and belongs to the decision's project or to every project. */
    private void requirePrompt(RecordOutcomeCommand command, String project) {
        if (command.promptName() == null && command.promptVersion() == null) {
            return;
        }
        if (command.promptName() == null || command.promptVersion() == null) {
            throw RequestRejected.invalid(
                    command.promptName() == null ? "promptName" : "promptVersion",
                    "promptName and promptVersion come together");
        }
        var prompt = prompts.version(command.promptName(), command.promptVersion())
                .orElseThrow(() -> RequestRejected.invalid(
                        "promptVersion",
                        "prompt " + command.promptName() + " has no version " + command.promptVersion()));
        if (prompt.project() != null && !prompt.project().equals(project)) {
            throw RequestRejected.invalid(
                    "promptName",
                    "prompt " + command.promptName() + " belongs to project " + prompt.project() + ", not " + project);
        }
    }

    /**
     * One entry per attempt, each saying whether the call was unapproved; the last one also carries the call's totals,
     * scores, (redacted) texts and the note.
     */
    private static List<NewAuditEntry> auditEntries(
            StoredDecision decision,
            NewCall call,
            List<CallScore> callScores,
            RedactionMode mode,
            ApiPrincipal actor,
            Map<String, Object> note) {
        DecideCommand r = decision.request();
        List<NewAuditEntry> entries = new ArrayList<>();
        for (PricedAttempt a : call.attempts()) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("callId", call.id().toString());
            payload.put("attemptNo", a.attemptNo());
            payload.put("attemptsInCall", call.attempts().size());
            payload.put("status", a.status().name());
            payload.put("errorClass", a.errorClass());
            payload.put("inputTokens", a.usage().inputTokens());
            payload.put("cachedInputTokens", a.usage().cachedInputTokens());
            payload.put("cacheWriteInputTokens", a.usage().cacheWriteInputTokens());
            if (a.usage().cacheWrite1hInputTokens() > 0) {
                payload.put("cacheWrite1hInputTokens", a.usage().cacheWrite1hInputTokens());
            }
            if (a.usage().serviceTier() != null) {
                payload.put("serviceTier", a.usage().serviceTier());
            }
            payload.put("outputTokens", a.usage().outputTokens());
            payload.put("reasoningTokens", a.usage().reasoningTokens());
            payload.put("latencyMs", a.latencyMs());
            payload.put("costUsd", a.costUsd());
            payload.put("taskKind", r.taskKind());
            if (decision.unapproved()) {
                payload.put("unapproved", true);
            }
            boolean last = a.attemptNo() == call.attempts().size();
            List<Map<String, Object>> scored = callScores.stream()
                    .filter(sc -> sc.attemptNo() == null ? last : sc.attemptNo() == a.attemptNo())
                    .map(ScoreRules::auditForm)
                    .toList();
            if (!scored.isEmpty()) {
                payload.put("scores", scored);
            }
            if (last) {
                payload.put("callStatus", call.status().name());
                payload.put("callCostUsd", call.costUsd());
                payload.put("qualityScores", new TreeMap<String, Object>(call.qualityScores()));
                payload.put("redactionMode", mode.name());
                payload.put("requestText", call.requestText());
                payload.put("responseText", call.responseText());
                payload.putAll(note);
            }
            entries.add(new NewAuditEntry(
                    r.project(),
                    AuditKind.AI_CALL_ATTEMPT,
                    call.createdAt(),
                    actor.keyId(),
                    actor.name(),
                    r.where(),
                    decision.decision().decisionId(),
                    a.provider(),
                    a.model(),
                    payload));
        }
        return entries;
    }

    /**
     * Closes the reservation and records how its money moves: an OPEN reservation gives back what it held; one that
     * already expired gave its money back then, so only the cost is posted. The event records the call's whole cost.
     * Returns what is given back.
     */
    private BigDecimal recordSettlement(HeldReservation reservation, BigDecimal cost, Instant now) {
        if (reservation.status() != ReservationStore.Status.OPEN) {
            reservations.recordEvent(
                    reservation.id(), ReservationStore.EventKind.LATE_OUTCOME, BigDecimal.ZERO, cost, now);
            return BigDecimal.ZERO.setScale(Money.SCALE);
        }
        reservations.close(reservation.id(), ReservationStore.Status.SETTLED, now);
        reservations.recordEvent(
                reservation.id(), ReservationStore.EventKind.SETTLED, reservation.amountUsd(), cost, now);
        return reservation.amountUsd().subtract(cost).max(BigDecimal.ZERO).setScale(Money.SCALE);
    }

    /**
     * Posts the actual cost to every window the reservation held money in (a model budget's window only the part spent
     * on its model), releasing the hold when the reservation was still OPEN. Holds come in the global lock order.
     */
    private void postToBudgetWindows(HeldReservation reservation, List<PricedAttempt> attempts) {
        boolean open = reservation.status() == ReservationStore.Status.OPEN;
        for (Hold hold : reservation.holds()) {
            BigDecimal counted = attempts.stream()
                    .filter(a -> hold.counts(a.provider(), a.model()))
                    .map(PricedAttempt::costUsd)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal spentAfter = budgets.settle(
                    hold.budgetId(), hold.windowStart(), open ? hold.amountUsd() : BigDecimal.ZERO, counted);
            // before/after of this one window under its row lock: thresholds are found without scanning anything
            alerts.budgetSettled(hold.budgetId(), hold.windowStart(), spentAfter.subtract(counted), spentAfter);
        }
    }

    /** Token rules that span fields, checked after Bean Validation so each failure names its field. */
    private static List<TokenUsage> usagesOf(List<AttemptCommand> attempts) {
        List<TokenUsage> usages = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            AttemptCommand a = attempts.get(i);
            long input = orZero(a.inputTokens());
            long cached = orZero(a.cachedInputTokens());
            long cacheWrite = orZero(a.cacheWriteInputTokens());
            long cacheWrite1h = orZero(a.cacheWrite1hInputTokens());
            long output = orZero(a.outputTokens());
            long reasoning = orZero(a.reasoningTokens());
            if (cached + cacheWrite > input) {
                throw RequestRejected.invalid(
                        "attempts[" + i + "].cachedInputTokens",
                        "attempts[" + i + "]: cachedInputTokens + cacheWriteInputTokens (" + (cached + cacheWrite)
                                + ") exceed inputTokens (" + input + "), which include them");
            }
            if (reasoning > output) {
                throw RequestRejected.invalid(
                        "attempts[" + i + "].reasoningTokens",
                        "attempts[" + i + "]: reasoningTokens (" + reasoning + ") exceed outputTokens (" + output
                                + "), which include them");
            }
            if (cacheWrite1h > cacheWrite) {
                throw RequestRejected.invalid(
                        "attempts[" + i + "].cacheWrite1hInputTokens",
                        "attempts[" + i + "]: cacheWrite1hInputTokens (" + cacheWrite1h
                                + ") exceed cacheWriteInputTokens (" + cacheWrite + "), which include them");
            }
            usages.add(new TokenUsage(input, cached, cacheWrite, cacheWrite1h, output, reasoning, a.serviceTier()));
        }
        return usages;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
