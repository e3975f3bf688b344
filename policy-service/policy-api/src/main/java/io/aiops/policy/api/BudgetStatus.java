package io.aiops.policy.api;

import java.math.BigDecimal;
import java.time.Instant;

/** A budget with the figures of its current period window. */
public record BudgetStatus(
    BudgetDefinition budget, Instant windowStart, Instant windowEnd, BigDecimal spentUsd, BigDecimal reservedUsd,
    BigDecimal remainingUsd) {}
