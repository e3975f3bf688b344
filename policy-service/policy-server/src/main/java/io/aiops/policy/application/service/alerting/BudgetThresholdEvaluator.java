package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.application.port.out.AlertRuleStore;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetThresholds;
import io.aiops.policy.domain.Money;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** BUDGET_THRESHOLD: fired where money is posted to a budget window, for each threshold that posting crossed. */
public final class BudgetThresholdEvaluator {

    private final AlertRuleStore rules;
    private final BudgetStore budgets;
    private final AlertFiring firing;
    private final Clock clock;

    public BudgetThresholdEvaluator(AlertRuleStore rules, BudgetStore budgets, AlertFiring firing, Clock clock) {
        this.rules = rules;
        this.budgets = budgets;
        this.firing = firing;
        this.clock = clock;
    }

    /**
     * Called in the transaction that posts spent money to a budget window: raises BUDGET_THRESHOLD alerts for the
     * thresholds this posting crossed. The window row is locked by that posting, so concurrent settles see distinct
     * before/after figures and each threshold is crossed by exactly one of them.
     */
    public void budgetSettled(String budgetId, Instant windowStart, BigDecimal spentBefore, BigDecimal spentAfter) {
        if (spentAfter.compareTo(spentBefore) <= 0) {
            return;
        }
        BudgetRule budget = budgets.findById(budgetId).orElse(null);
        if (budget == null) {
            return;
        }
        BudgetDefinition d = budget.definition();
        List<Integer> crossed =
                BudgetThresholds.crossed(d.limitUsd(), d.mode(), d.alertThresholds(), spentBefore, spentAfter);
        if (crossed.isEmpty()) {
            return;
        }
        String project = d.scope() == null ? null : d.scope().project();
        List<StoredRule> watching = rules.findByKinds(List.of(AlertKind.BUDGET_THRESHOLD)).stream()
                .filter(r -> r.rule().budgetId() == null
                        ? r.rule().project() == null || r.rule().project().equals(project)
                        : r.rule().budgetId().equals(budgetId))
                .toList();
        Instant now = clock.instant();
        for (StoredRule rule : watching) {
            for (int threshold : crossed) {
                Map<String, String> details = new LinkedHashMap<>();
                details.put("budgetId", budgetId);
                details.put("mode", d.mode().name());
                details.put("period", d.period().name());
                details.put("threshold", String.valueOf(threshold));
                details.put("limitUsd", Money.shown(d.limitUsd()).toPlainString());
                details.put("spentUsd", Money.shown(spentAfter).toPlainString());
                details.put("windowStart", windowStart.toString());
                String message = (threshold == 100 && d.mode() == BudgetDefinition.BudgetMode.SOFT
                                ? "SOFT budget " + budgetId + " reached its limit (it keeps allowing calls)"
                                : "Budget " + budgetId + " reached " + threshold + " % of its limit")
                        + ": " + details.get("spentUsd") + " of " + details.get("limitUsd") + " USD spent this "
                        + d.period()
                        + " (window from " + windowStart + ")";
                firing.fire(
                        rule,
                        project,
                        "budget:" + budgetId,
                        windowStart + "@" + threshold + "%",
                        message,
                        details,
                        now);
            }
        }
    }
}
