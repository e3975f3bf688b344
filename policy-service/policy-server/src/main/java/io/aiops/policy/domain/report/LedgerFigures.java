package io.aiops.policy.domain.report;

import java.math.BigDecimal;

/**
 * The ledger's figures for a group of calls. A call counts once, for the model it ended on ({@code calls},
 * {@code failedCalls}, {@code failedOverCalls}: its attempts span more than one model, {@code latency}: all its
 * attempts); attempts, tokens and cost count for each attempt's model.
 */
public record LedgerFigures(
        long calls,
        long failedCalls,
        long failedOverCalls,
        long attempts,
        long failedAttempts,
        long inputTokens,
        long outputTokens,
        BigDecimal costUsd,
        LatencyHistogram latency) {

    public static final LedgerFigures NONE =
            new LedgerFigures(0, 0, 0, 0, 0, 0, 0, BigDecimal.ZERO, LatencyHistogram.empty());
}
