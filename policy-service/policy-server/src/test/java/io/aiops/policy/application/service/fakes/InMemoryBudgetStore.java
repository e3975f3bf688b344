package io.aiops.policy.application.service.fakes;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetWindow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Budgets and their window figures in maps, with the semantics the services rely on: every definition change bumps
 * the definitions version; settling a window that does not exist changes nothing and reports zero spent, as the SQL
 * update does. Money is reserved only by {@link InMemoryDecisionStore#book}, through {@link #room} (null for a SOFT
 * budget: no cap) and {@link #addReserved}.
 *
 * <p>The reconciliation queries ({@link #checkWindows}, {@link #callsWithoutHold}) join the ledger in SQL and are not
 * faked: the decision and outcome services never call them.
 */
public final class InMemoryBudgetStore implements BudgetStore {

    private record WindowKey(String budgetId, Instant windowStart) {}

    private static final class Window {
        BigDecimal spent = BigDecimal.ZERO;
        BigDecimal reserved = BigDecimal.ZERO;
    }

    private final Map<String, BudgetRule> budgets = new TreeMap<>();
    private final Map<WindowKey, Window> windows = new HashMap<>();
    private long version = 1;
    private Runnable afterDefinitionsRead = () -> {};

    @Override
    public List<BudgetRule> findAll() {
        return List.copyOf(budgets.values());
    }

    @Override
    public long definitionsVersion() {
        return version;
    }

    @Override
    public Definitions definitions() {
        Definitions read = BudgetStore.super.definitions();
        afterDefinitionsRead.run();
        return read;
    }

    @Override
    public Optional<BudgetRule> findSameScope(BudgetDefinition definition) {
        return budgets.values().stream()
                .filter(b -> !b.id().equals(definition.id()))
                .filter(b -> b.definition().period() == definition.period()
                        && b.definition().mode() == definition.mode()
                        && Objects.equals(b.definition().scope(), definition.scope()))
                .findFirst();
    }

    @Override
    public Optional<BudgetRule> findById(String id) {
        return Optional.ofNullable(budgets.get(id));
    }

    @Override
    public void upsert(BudgetRule budget, Instant changedAt) {
        if (findSameScope(budget.definition()).isPresent()) {
            throw new ScopeTaken(budget.id());
        }
        budgets.put(budget.id(), budget);
        version++;
    }

    @Override
    public List<WindowCheck> checkWindows(String budgetId) {
        throw new UnsupportedOperationException("reconciliation is not faked: it joins the ledger in SQL");
    }

    @Override
    public List<UnheldCall> callsWithoutHold(String budgetId) {
        throw new UnsupportedOperationException("reconciliation is not faked: it joins the ledger in SQL");
    }

    /**
     * What the window may still reserve: null for a SOFT budget (no cap), else limit - spent - reserved (negative when
     * overrun). The budget must exist.
     */
    BigDecimal room(String budgetId, Instant windowStart) {
        BudgetRule budget = budgets.get(budgetId);
        if (!budget.hard()) {
            return null;
        }
        WindowFigures figures = figures(budgetId, windowStart);
        return budget.definition().limitUsd().subtract(figures.spentUsd()).subtract(figures.reservedUsd());
    }

    /** Adds {@code amount} (negative: gives it back) to the window's reserved money, creating the window if missing. */
    void addReserved(String budgetId, Instant windowStart, BigDecimal amount) {
        Window figures = windows.computeIfAbsent(new WindowKey(budgetId, windowStart), k -> new Window());
        figures.reserved = figures.reserved.add(amount);
    }

    @Override
    public void openWindow(String budgetId, BudgetWindow window) {
        if (budgets.containsKey(budgetId)) {
            windows.computeIfAbsent(new WindowKey(budgetId, window.start()), k -> new Window());
        }
    }

    @Override
    public BigDecimal settle(String budgetId, Instant windowStart, BigDecimal releasedReserve, BigDecimal spent) {
        Window figures = windows.get(new WindowKey(budgetId, windowStart));
        if (figures == null) {
            return BigDecimal.ZERO;
        }
        figures.reserved = figures.reserved.subtract(releasedReserve);
        figures.spent = figures.spent.add(spent);
        return figures.spent;
    }

    @Override
    public WindowFigures figures(String budgetId, Instant windowStart) {
        Window figures = windows.get(new WindowKey(budgetId, windowStart));
        return figures == null
                ? new WindowFigures(BigDecimal.ZERO, BigDecimal.ZERO)
                : new WindowFigures(figures.spent, figures.reserved);
    }

    /**
     * Runs {@code change} right after each read of the definitions, before the reader can book with them: what
     * another replica changing budgets at that moment looks like to this one.
     */
    public void afterEachDefinitionsRead(Runnable change) {
        this.afterDefinitionsRead = change;
    }
}
