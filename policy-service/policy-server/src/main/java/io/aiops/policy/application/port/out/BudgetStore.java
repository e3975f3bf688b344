package io.aiops.policy.application.port.out;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetWindow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stores budgets and the running figures of their windows. */
public interface BudgetStore {

    /** Spent and reserved money of one window. */
    record WindowFigures(BigDecimal spentUsd, BigDecimal reservedUsd) {}

    /** Another budget already holds this scope, period and mode. */
    final class ScopeTaken extends RuntimeException {
        public ScopeTaken(String budgetId) {
            super("another budget has the scope, period and mode of budget " + budgetId);
        }
    }

    /**
     * The budget definitions as of one committed version: every change to a budget's definition bumps the version in
     * its own transaction, so a booking that compares its version with the committed one knows whether it saw them all.
     */
    record Definitions(long version, List<BudgetRule> rules) {
        public Definitions {
            rules = List.copyOf(rules);
        }
    }

    List<BudgetRule> findAll();

    /** The committed version of the budget definitions. */
    long definitionsVersion();

    /** The budgets with the version they are at: the version is read first, so it is never newer than the rules. */
    default Definitions definitions() {
        long version = definitionsVersion();
        return new Definitions(version, findAll());
    }

    /** A budget under another id with the same scope, period and mode. */
    Optional<BudgetRule> findSameScope(BudgetDefinition definition);

    Optional<BudgetRule> findById(String id);

    /**
     * Creates or replaces the budget, changed at {@code changedAt}; {@link ScopeTaken} when another id has its scope,
     * period and mode.
     */
    void upsert(BudgetRule budget, Instant changedAt);

    /** A window's stored figures next to the ones recomputed from its holds and the ledger. */
    record WindowCheck(
            Instant windowStart,
            Instant windowEnd,
            BigDecimal spentUsd,
            BigDecimal reservedUsd,
            BigDecimal postedUsd,
            BigDecimal openHeldUsd) {

        public boolean consistent() {
            return spentUsd.compareTo(postedUsd) == 0 && reservedUsd.compareTo(openHeldUsd) == 0;
        }
    }

    /** A call the budget covers that holds nothing in it, with its cost. */
    record UnheldCall(UUID callId, BigDecimal costUsd) {}

    /**
     * Every window of the budget with its figures recomputed: spent from the cost the ledger's calls posted through
     * their holds (a model budget's hold counts only attempts on its model), reserved from the holds of open
     * reservations.
     */
    List<WindowCheck> checkWindows(String budgetId);

    /**
     * Calls the budget covers (by scope, and for a model budget by attempts on its model) that were decided since the
     * budget was last changed and cost something, yet hold nothing in it.
     */
    List<UnheldCall> callsWithoutHold(String budgetId);

    /** Creates the window's row with nothing spent or reserved, unless it exists; takes no lock on an existing row. */
    void openWindow(String budgetId, BudgetWindow window);

    /**
     * Takes {@code releasedReserve} off the window's reserved money and adds {@code spent} to its spent money; returns
     * the window's spent money after this posting (read under the row lock the update takes).
     */
    BigDecimal settle(String budgetId, Instant windowStart, BigDecimal releasedReserve, BigDecimal spent);

    WindowFigures figures(String budgetId, Instant windowStart);
}
