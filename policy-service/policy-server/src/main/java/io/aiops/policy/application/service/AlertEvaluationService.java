package io.aiops.policy.application.service;

import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.application.port.in.EvaluateAlertsUseCase;
import io.aiops.policy.application.port.out.AlertRuleStore;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertStore;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.service.alerting.AlertFiring;
import io.aiops.policy.application.service.alerting.AuditChainEvaluator;
import io.aiops.policy.application.service.alerting.BudgetThresholdEvaluator;
import io.aiops.policy.application.service.alerting.ScheduledEvaluator;
import io.aiops.policy.domain.audit.ChainVerdict;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which alert conditions hold, one evaluator per alert kind (package {@code alerting}): budget thresholds when
 * an outcome settles (from the window's spent before and after, no scan), audit-chain breaks when verification finds
 * one, the ledger rules on a schedule. Each alert is recorded once per rule × subject × period: the store's unique key
 * decides between evaluations and replicas, so a condition that stays true fires once.
 */
public class AlertEvaluationService implements EvaluateAlertsUseCase {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluationService.class);

    private final AlertRuleStore rules;
    private final Clock clock;
    private final BudgetThresholdEvaluator budgetThresholds;
    private final AuditChainEvaluator auditChains;
    private final Map<AlertKind, ScheduledEvaluator> scheduled = new EnumMap<>(AlertKind.class);

    public AlertEvaluationService(
            AlertRuleStore rules, AlertStore alerts, AlertSignals signals, BudgetStore budgets, Clock clock) {
        this.rules = rules;
        this.clock = clock;
        AlertFiring firing = new AlertFiring(alerts);
        this.budgetThresholds = new BudgetThresholdEvaluator(rules, budgets, firing, clock);
        this.auditChains = new AuditChainEvaluator(rules, firing, clock);
        for (ScheduledEvaluator evaluator : ScheduledEvaluator.all(signals, firing)) {
            scheduled.put(evaluator.kind(), evaluator);
        }
        if (!scheduled.keySet().equals(AlertRuleService.SCHEDULED)) {
            throw new IllegalStateException(
                    "scheduled alert kinds without an evaluator: " + AlertRuleService.SCHEDULED);
        }
    }

    /**
     * Called in the transaction that posts spent money to a budget window: raises BUDGET_THRESHOLD alerts for the
     * thresholds this posting crossed.
     */
    public void budgetSettled(String budgetId, Instant windowStart, BigDecimal spentBefore, BigDecimal spentAfter) {
        budgetThresholds.budgetSettled(budgetId, windowStart, spentBefore, spentAfter);
    }

    @Override
    public int evaluateScheduledRules() {
        Instant now = clock.instant();
        int fired = 0;
        for (StoredRule rule : rules.findByKinds(List.copyOf(scheduled.keySet()))) {
            try {
                fired += scheduled.get(rule.rule().kind()).evaluate(rule, now);
            } catch (RuntimeException e) {
                // one rule that cannot be evaluated must not silence the others
                LOG.error("Alert rule {} could not be evaluated", rule.rule().id(), e);
            }
        }
        return fired;
    }

    @Override
    public int auditChainsBroken(List<ChainVerdict> broken) {
        return auditChains.auditChainsBroken(broken);
    }
}
