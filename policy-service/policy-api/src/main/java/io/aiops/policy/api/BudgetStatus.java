package io.aiops.policy.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A budget with the figures of its current period window; {@code thresholdsReached} lists the alert thresholds
 * (percent of the limit) that the spent money has reached in this window.
 */
public record BudgetStatus(
        BudgetDefinition budget,
        Instant windowStart,
        Instant windowEnd,
        BigDecimal spentUsd,
        BigDecimal reservedUsd,
        BigDecimal remainingUsd,
        List<Integer> thresholdsReached) {

    @JsonCreator
    public BudgetStatus {
        thresholdsReached = thresholdsReached == null ? List.of() : List.copyOf(thresholdsReached);
    }

    public BudgetStatus(
            BudgetDefinition budget,
            Instant windowStart,
            Instant windowEnd,
            BigDecimal spentUsd,
            BigDecimal reservedUsd,
            BigDecimal remainingUsd) {
        this(budget, windowStart, windowEnd, spentUsd, reservedUsd, remainingUsd, List.of());
    }
}
