package io.aiops.policy.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Whether a budget's running figures agree with the ledger, recomputed from scratch: in every window the spent figure
 * equals the cost the ledger's calls posted through their holds, and the reserved figure equals the holds of
 * reservations still open; and no call the budget covers (decided since the budget was last changed) is missing a
 * hold in it.
 *
 * @param consistent every window agrees and no covered call lacks a hold
 * @param callsWithoutHold covered calls with a cost but no hold in this budget, counted
 * @param costWithoutHoldUsd what those calls cost
 * @param someCallsWithoutHold the ids of up to {@value #SHOWN_CALLS} of them
 */
public record BudgetReconciliation(
        String budgetId,
        boolean consistent,
        List<Window> windows,
        long callsWithoutHold,
        BigDecimal costWithoutHoldUsd,
        List<UUID> someCallsWithoutHold) {

    /** How many ids of calls without a hold are listed. */
    public static final int SHOWN_CALLS = 100;

    public BudgetReconciliation {
        windows = windows == null ? List.of() : List.copyOf(windows);
        someCallsWithoutHold = someCallsWithoutHold == null ? List.of() : List.copyOf(someCallsWithoutHold);
    }

    /**
     * One window: its stored figures next to the ones recomputed from holds and calls.
     *
     * @param postedUsd what the ledger's calls posted to this window through their holds
     * @param openHeldUsd what the holds of open reservations keep in this window
     */
    public record Window(
            Instant windowStart,
            Instant windowEnd,
            BigDecimal spentUsd,
            BigDecimal reservedUsd,
            BigDecimal postedUsd,
            BigDecimal openHeldUsd,
            boolean consistent) {}
}
