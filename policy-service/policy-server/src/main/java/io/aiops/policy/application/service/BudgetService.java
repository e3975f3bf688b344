package io.aiops.policy.application.service;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.BudgetReconciliation;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.BudgetUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetWindow;
import io.aiops.policy.domain.Money;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Defines budgets and reports the current window of each. A definition is checked whole before anything is stored;
 * two budgets with the same scope, period and mode are refused, since they would disagree about one limit.
 */
public class BudgetService implements BudgetUseCase {

    private final BudgetStore budgets;
    private final Clock clock;
    private final AuditRecorder audit;
    private final DecisionDefinitions definitions;

    public BudgetService(BudgetStore budgets, Clock clock, AuditRecorder audit, DecisionDefinitions definitions) {
        this.budgets = budgets;
        this.clock = clock;
        this.audit = audit;
        this.definitions = definitions;
    }

    @Override
    @Transactional
    public BudgetStatus putBudget(String id, BudgetDefinition definition, ApiPrincipal actor) {
        if (definition == null) {
            throw RequestRejected.invalid(null, "a budget definition is required");
        }
        CatalogService.requireSame("id", id, definition.id());
        // presence, signs and ranges are the request's Bean Validation rules; here: what the ledger and calendar need
        if (!Money.fitsLedger(definition.limitUsd())) {
            throw RequestRejected.invalid(
                    "limitUsd",
                    "limitUsd must have at most " + Money.SCALE + " decimal places and " + Money.INTEGER_DIGITS
                            + " integer digits");
        }
        ZoneId zone = zoneOf(definition.timeZone());
        checkThresholds(definition.alertThresholds());
        BudgetScope scope = scopeOf(definition.scope());
        ProjectAccess.require(actor, scope.project(), "scope.project");
        BudgetDefinition before =
                budgets.findById(id).map(BudgetRule::definition).orElse(null);
        if (before != null) {
            // a key of one project must not take over (or re-scope) another project's budget
            ProjectAccess.require(
                    actor, before.scope() == null ? null : before.scope().project(), "id");
        }
        BudgetDefinition normalised = new BudgetDefinition(
                id,
                scope,
                definition.period(),
                definition.limitUsd(),
                definition.mode(),
                zone.getId(),
                definition.alertThresholds());
        budgets.findSameScope(normalised).ifPresent(other -> {
            throw contradiction(normalised, other);
        });
        definitions.budgetsChanged();
        try {
            budgets.upsert(new BudgetRule(normalised, zone), clock.instant().truncatedTo(ChronoUnit.MICROS));
        } catch (BudgetStore.ScopeTaken e) {
            throw new RequestRejected(
                    RequestRejected.Kind.CONFLICT,
                    "scope",
                    "another budget was just defined with this scope, period and mode; change that one instead");
        }
        BudgetStatus after = getBudget(id, actor);
        audit.policyChange(actor, scope.project(), "budget", id, before, after.budget(), clock.instant());
        return after;
    }

    @Override
    @Transactional(readOnly = true)
    public java.util.List<BudgetStatus> budgets(ApiPrincipal actor) {
        return budgets.findAll().stream()
                .filter(b -> {
                    BudgetScope scope = b.definition().scope();
                    return actor.mayAccess(scope == null ? null : scope.project());
                })
                .map(b -> getBudget(b.definition().id(), actor))
                .sorted(java.util.Comparator.comparing(s -> s.budget().id()))
                .toList();
    }

    @Override
    @Transactional(readOnly = true)
    public BudgetStatus getBudget(String id, ApiPrincipal actor) {
        BudgetRule budget = budgets.findById(id).orElseThrow(() -> RequestRejected.notFound("no budget " + id));
        BudgetScope budgetScope = budget.definition().scope();
        ProjectAccess.require(actor, budgetScope == null ? null : budgetScope.project(), "id");
        BudgetWindow window = budget.windowAt(clock.instant());
        BudgetStore.WindowFigures figures = budgets.figures(id, window.start());
        BudgetDefinition d = budget.definition();
        BigDecimal limit = d.limitUsd();
        BigDecimal remaining = limit.subtract(figures.spentUsd())
                .subtract(figures.reservedUsd())
                .max(BigDecimal.ZERO);
        // spent * 100 >= threshold * limit, exactly, without dividing
        BigDecimal spentPercentTimesLimit = figures.spentUsd().multiply(BigDecimal.valueOf(100));
        List<Integer> reached = d.alertThresholds().stream()
                .filter(t -> spentPercentTimesLimit.compareTo(limit.multiply(BigDecimal.valueOf(t))) >= 0)
                .toList();
        return new BudgetStatus(
                new BudgetDefinition(
                        d.id(),
                        d.scope(),
                        d.period(),
                        Money.shown(d.limitUsd()),
                        d.mode(),
                        d.timeZone(),
                        d.alertThresholds()),
                window.start(),
                window.end(),
                Money.shown(figures.spentUsd()),
                Money.shown(figures.reservedUsd()),
                Money.shown(remaining),
                reached);
    }

    @Override
    // one snapshot: calls settling meanwhile must not show as a difference between figures read at different moments
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public BudgetReconciliation reconcile(String id, ApiPrincipal actor) {
        BudgetRule budget = budgets.findById(id).orElseThrow(() -> RequestRejected.notFound("no budget " + id));
        BudgetScope budgetScope = budget.definition().scope();
        ProjectAccess.require(actor, budgetScope == null ? null : budgetScope.project(), "id");
        List<BudgetReconciliation.Window> windows = budgets.checkWindows(id).stream()
                .map(w -> new BudgetReconciliation.Window(
                        w.windowStart(),
                        w.windowEnd(),
                        Money.shown(w.spentUsd()),
                        Money.shown(w.reservedUsd()),
                        Money.shown(w.postedUsd()),
                        Money.shown(w.openHeldUsd()),
                        w.consistent()))
                .toList();
        List<BudgetStore.UnheldCall> unheld = budgets.callsWithoutHold(id);
        BigDecimal unheldCost =
                unheld.stream().map(BudgetStore.UnheldCall::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        boolean consistent = unheld.isEmpty() && windows.stream().allMatch(BudgetReconciliation.Window::consistent);
        return new BudgetReconciliation(
                id,
                consistent,
                windows,
                unheld.size(),
                Money.shown(unheldCost),
                unheld.stream()
                        .limit(BudgetReconciliation.SHOWN_CALLS)
                        .map(BudgetStore.UnheldCall::callId)
                        .toList());
    }

    private static RequestRejected contradiction(BudgetDefinition wanted, BudgetRule existing) {
        BudgetDefinition other = existing.definition();
        String how = other.limitUsd().compareTo(wanted.limitUsd()) == 0
                ? "with the same limit"
                : "with limit " + Money.shown(other.limitUsd()).toPlainString() + " USD instead of "
                        + Money.shown(wanted.limitUsd()).toPlainString() + " USD";
        return new RequestRejected(
                RequestRejected.Kind.CONFLICT,
                "scope",
                "budget '" + other.id() + "' already limits this scope per " + other.period() + " (" + other.mode()
                        + ") " + how + "; change that budget instead of adding a second one");
    }

    private static ZoneId zoneOf(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone.trim());
        } catch (DateTimeException e) {
            throw RequestRejected.invalid(
                    "timeZone",
                    "timeZone '" + timeZone + "' is not a time zone id (use an IANA id such as Europe/Berlin)");
        }
    }

    private static void checkThresholds(List<Integer> thresholds) {
        int previous = 0;
        for (int i = 0; i < thresholds.size(); i++) {
            int t = thresholds.get(i);
            String field = "alertThresholds[" + i + "]";
            if (t <= previous) {
                throw RequestRejected.invalid(field, "alertThresholds must be ascending without repeats");
            }
            previous = t;
        }
    }

    private static BudgetScope scopeOf(BudgetScope scope) {
        if (scope == null) {
            return new BudgetScope(null, null);
        }
        String model = blankToNull(scope.model());
        String provider = blankToNull(scope.provider());
        if (provider != null && model == null) {
            throw RequestRejected.invalid(
                    "scope.provider", "scope.provider narrows a model budget; set scope.model as well");
        }
        return new BudgetScope(
                blankToNull(scope.project()),
                blankToNull(scope.bpmnProcessId()),
                scope.processDefinitionKey(),
                provider,
                model);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
