package io.aiops.policy.application.service;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.application.port.in.BudgetUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetWindow;
import io.aiops.policy.domain.Money;
import io.aiops.policy.application.port.in.ApiPrincipal;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.ZoneOffset;
import org.springframework.transaction.annotation.Transactional;

/** Defines budgets and reports the current window of each. Windows are computed in UTC for now. */
public class BudgetService implements BudgetUseCase {

  private final BudgetStore budgets;
  private final Clock clock;
  private final AuditRecorder audit;

  public BudgetService(BudgetStore budgets, Clock clock, AuditRecorder audit) {
    this.budgets = budgets;
    this.clock = clock;
    this.audit = audit;
  }

  @Override
  @Transactional
  public BudgetStatus putBudget(String id, BudgetDefinition definition, ApiPrincipal actor) {
    if (definition == null) {
      throw RequestRejected.invalid(null, "a budget definition is required");
    }
    CatalogService.requireSame("id", id, definition.id());
    if (definition.period() == null) {
      throw RequestRejected.invalid("period", "period is required (DAY, WEEK or MONTH)");
    }
    if (definition.mode() == null) {
      throw RequestRejected.invalid("mode", "mode is required (HARD or SOFT)");
    }
    if (definition.limitUsd() == null || definition.limitUsd().signum() <= 0) {
      throw RequestRejected.invalid("limitUsd", "limitUsd must be greater than 0");
    }
    if (!Money.fitsLedger(definition.limitUsd())) {
      throw RequestRejected.invalid(
          "limitUsd", "limitUsd must have at most " + Money.SCALE + " decimal places and " + Money.INTEGER_DIGITS
              + " integer digits");
    }
    BudgetDefinition.BudgetScope scope =
        definition.scope() == null
            ? new BudgetDefinition.BudgetScope(null, null)
            : new BudgetDefinition.BudgetScope(blankToNull(definition.scope().project()),
                blankToNull(definition.scope().bpmnProcessId()));
    ProjectAccess.require(actor, scope.project(), "scope.project");
    BudgetDefinition before = budgets.findById(id).map(BudgetRule::definition).orElse(null);
    if (before != null) {
      // a key of one project must not take over (or re-scope) another project's budget
      ProjectAccess.require(actor, before.scope() == null ? null : before.scope().project(), "id");
    }
    budgets.upsert(
        new BudgetRule(
            new BudgetDefinition(id, scope, definition.period(), definition.limitUsd(), definition.mode()),
            ZoneOffset.UTC));
    BudgetStatus after = getBudget(id, actor);
    audit.policyChange(actor, scope.project(), "budget", id, before, after.budget(), clock.instant());
    return after;
  }

  @Override
  @Transactional(readOnly = true)
  public BudgetStatus getBudget(String id, ApiPrincipal actor) {
    BudgetRule budget = budgets.findById(id).orElseThrow(() -> RequestRejected.notFound("no budget " + id));
    BudgetDefinition.BudgetScope scope = budget.definition().scope();
    ProjectAccess.require(actor, scope == null ? null : scope.project(), "id");
    BudgetWindow window = budget.windowAt(clock.instant());
    BudgetStore.WindowFigures figures = budgets.figures(id, window.start());
    BigDecimal limit = budget.definition().limitUsd();
    BigDecimal remaining = limit.subtract(figures.spentUsd()).subtract(figures.reservedUsd()).max(BigDecimal.ZERO);
    BudgetDefinition d = budget.definition();
    return new BudgetStatus(
        new BudgetDefinition(d.id(), d.scope(), d.period(), Money.shown(d.limitUsd()), d.mode()),
        window.start(),
        window.end(),
        Money.shown(figures.spentUsd()),
        Money.shown(figures.reservedUsd()),
        Money.shown(remaining));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
