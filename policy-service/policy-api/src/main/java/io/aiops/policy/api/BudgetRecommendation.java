package io.aiops.policy.api;

import java.math.BigDecimal;

/**
 * A suggested cap for a scope that spent money: 120 % of what it spent over the last period length, rounded up to
 * the cent, next to the HARD budget that already covers exactly this scope and period, if any.
 */
public record BudgetRecommendation(
        BudgetDefinition.BudgetScope scope,
        BudgetDefinition.BudgetPeriod period,
        BigDecimal observedUsd,
        BigDecimal recommendedLimitUsd,
        String existingBudgetId,
        BigDecimal existingLimitUsd) {}
