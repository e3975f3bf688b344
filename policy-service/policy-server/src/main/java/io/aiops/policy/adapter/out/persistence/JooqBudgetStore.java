package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.BUDGETS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.BUDGET_DEFINITIONS_VERSION;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.BUDGET_WINDOWS;

import io.aiops.policy.adapter.out.persistence.jooq.tables.records.BudgetsRecord;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetWindow;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;

/** Budgets and their window figures in the {@code budgets} and {@code budget_windows} tables. */
@Repository
class JooqBudgetStore implements BudgetStore {

    private final DSLContext db;

    JooqBudgetStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<BudgetRule> findAll() {
        return db.selectFrom(BUDGETS).orderBy(BUDGETS.ID).fetch(JooqBudgetStore::toRule);
    }

    @Override
    public long definitionsVersion() {
        return db.select(BUDGET_DEFINITIONS_VERSION.VERSION)
                .from(BUDGET_DEFINITIONS_VERSION)
                .fetchSingle()
                .value1();
    }

    @Override
    public Optional<BudgetRule> findById(String id) {
        return db.selectFrom(BUDGETS).where(BUDGETS.ID.eq(id)).fetchOptional(JooqBudgetStore::toRule);
    }

    @Override
    public void upsert(BudgetRule budget, Instant changedAt) {
        BudgetDefinition d = budget.definition();
        BudgetsRecord row = db.newRecord(BUDGETS);
        row.setId(d.id());
        row.setScopeProject(d.scope().project());
        row.setScopeBpmnProcessId(d.scope().bpmnProcessId());
        row.setPeriod(d.period().name());
        row.setLimitUsd(d.limitUsd());
        row.setMode(d.mode().name());
        row.setTimeZone(budget.zone().getId());
        row.setScopeProcessDefinitionKey(d.scope().processDefinitionKey());
        row.setScopeProvider(d.scope().provider());
        row.setScopeModel(d.scope().model());
        row.setAlertThresholds(d.alertThresholds().toArray(Integer[]::new));
        // the service's clock, like the decisions' times: reconciliation compares the two
        row.setUpdatedAt(ColumnValues.utc(changedAt));
        try {
            db.insertInto(BUDGETS)
                    .set(row)
                    .set(BUDGETS.CREATED_AT, ColumnValues.utc(changedAt))
                    .onConflict(BUDGETS.ID)
                    .doUpdate()
                    .set(row)
                    .execute();
        } catch (DuplicateKeyException e) {
            // the unique index over scope, period and mode: another id took this slot between check and write
            throw new ScopeTaken(d.id());
        }
    }

    @Override
    public Optional<BudgetRule> findSameScope(BudgetDefinition d) {
        BudgetDefinition.BudgetScope scope = d.scope();
        return db.selectFrom(BUDGETS)
                .where(BUDGETS.ID.ne(d.id()))
                .and(BUDGETS.PERIOD.eq(d.period().name()))
                .and(BUDGETS.MODE.eq(d.mode().name()))
                .and(BUDGETS.SCOPE_PROJECT.isNotDistinctFrom(scope.project()))
                .and(BUDGETS.SCOPE_BPMN_PROCESS_ID.isNotDistinctFrom(scope.bpmnProcessId()))
                .and(BUDGETS.SCOPE_PROCESS_DEFINITION_KEY.isNotDistinctFrom(scope.processDefinitionKey()))
                .and(BUDGETS.SCOPE_PROVIDER.isNotDistinctFrom(scope.provider()))
                .and(BUDGETS.SCOPE_MODEL.isNotDistinctFrom(scope.model()))
                .fetchOptional(JooqBudgetStore::toRule);
    }

    /**
     * Creates the window row unless it exists. A racing creator's row counts as well: the insert waits for that
     * transaction, and the booking after it sees the row then (it was created by someone, whoever that was).
     */
    @Override
    public void openWindow(String budgetId, BudgetWindow window) {
        db.insertInto(BUDGET_WINDOWS)
                .set(BUDGET_WINDOWS.BUDGET_ID, budgetId)
                .set(BUDGET_WINDOWS.WINDOW_START, ColumnValues.utc(window.start()))
                .set(BUDGET_WINDOWS.WINDOW_END, ColumnValues.utc(window.end()))
                .onConflict(BUDGET_WINDOWS.BUDGET_ID, BUDGET_WINDOWS.WINDOW_START)
                .doNothing()
                .execute();
    }

    @Override
    public BigDecimal settle(String budgetId, Instant windowStart, BigDecimal releasedReserve, BigDecimal spent) {
        return db.update(BUDGET_WINDOWS)
                .set(BUDGET_WINDOWS.RESERVED_USD, BUDGET_WINDOWS.RESERVED_USD.minus(releasedReserve))
                .set(BUDGET_WINDOWS.SPENT_USD, BUDGET_WINDOWS.SPENT_USD.plus(spent))
                .where(BUDGET_WINDOWS.BUDGET_ID.eq(budgetId))
                .and(BUDGET_WINDOWS.WINDOW_START.eq(ColumnValues.utc(windowStart)))
                .returningResult(BUDGET_WINDOWS.SPENT_USD)
                .fetchOptional()
                .map(r -> r.value1())
                .orElse(BigDecimal.ZERO);
    }

    @Override
    public WindowFigures figures(String budgetId, Instant windowStart) {
        return db.select(BUDGET_WINDOWS.SPENT_USD, BUDGET_WINDOWS.RESERVED_USD)
                .from(BUDGET_WINDOWS)
                .where(BUDGET_WINDOWS.BUDGET_ID.eq(budgetId))
                .and(BUDGET_WINDOWS.WINDOW_START.eq(ColumnValues.utc(windowStart)))
                .fetchOptional(r -> new WindowFigures(r.value1(), r.value2()))
                .orElse(new WindowFigures(BigDecimal.ZERO, BigDecimal.ZERO));
    }

    private static BudgetRule toRule(BudgetsRecord r) {
        return new BudgetRule(
                new BudgetDefinition(
                        r.getId(),
                        new BudgetDefinition.BudgetScope(
                                r.getScopeProject(),
                                r.getScopeBpmnProcessId(),
                                r.getScopeProcessDefinitionKey(),
                                r.getScopeProvider(),
                                r.getScopeModel()),
                        BudgetPeriod.valueOf(r.getPeriod()),
                        r.getLimitUsd(),
                        BudgetMode.valueOf(r.getMode()),
                        r.getTimeZone(),
                        List.of(r.getAlertThresholds())),
                ZoneId.of(r.getTimeZone()));
    }

    @Override
    public List<WindowCheck> checkWindows(String budgetId) {
        return db.resultQuery("""
            SELECT w.window_start, w.window_end, w.spent_usd, w.reserved_usd,
                   coalesce((SELECT sum(a.cost_usd)
                             FROM reservation_holds h
                             JOIN reservations r ON r.id = h.reservation_id
                             JOIN calls c ON c.decision_id = r.decision_id
                             JOIN call_attempts a ON a.call_id = c.id
                             WHERE h.budget_id = w.budget_id AND h.window_start = w.window_start
                               AND (h.model_name IS NULL
                                    OR (a.model = h.model_name
                                        AND (h.model_provider IS NULL OR a.provider = h.model_provider)))), 0),
                   coalesce((SELECT sum(h.amount_usd)
                             FROM reservation_holds h
                             JOIN reservations r ON r.id = h.reservation_id
                             WHERE h.budget_id = w.budget_id AND h.window_start = w.window_start
                               AND r.status = 'OPEN'), 0)
            FROM budget_windows w
            WHERE w.budget_id = ?
            ORDER BY w.window_start
            """, budgetId)
                .fetch(r -> new WindowCheck(
                        ColumnValues.instant(r.get(0, java.time.OffsetDateTime.class)),
                        ColumnValues.instant(r.get(1, java.time.OffsetDateTime.class)),
                        r.get(2, BigDecimal.class),
                        r.get(3, BigDecimal.class),
                        r.get(4, BigDecimal.class),
                        r.get(5, BigDecimal.class)));
    }

    @Override
    public List<UnheldCall> callsWithoutHold(String budgetId) {
        return db.resultQuery("""
            SELECT c.id, sum(a.cost_usd)
            FROM budgets b
            JOIN decisions d
              ON (b.scope_project IS NULL OR b.scope_project = d.project)
             AND (b.scope_bpmn_process_id IS NULL OR b.scope_bpmn_process_id = d.bpmn_process_id)
             AND (b.scope_process_definition_key IS NULL OR b.scope_process_definition_key = d.process_definition_key)
             AND d.created_at >= b.updated_at
            JOIN calls c ON c.decision_id = d.id
            JOIN call_attempts a ON a.call_id = c.id
             AND (b.scope_model IS NULL
                  OR (a.model = b.scope_model AND (b.scope_provider IS NULL OR a.provider = b.scope_provider)))
            WHERE b.id = ?
              AND NOT EXISTS (SELECT 1
                              FROM reservations r
                              JOIN reservation_holds h ON h.reservation_id = r.id
                              WHERE r.decision_id = d.id AND h.budget_id = b.id)
            GROUP BY c.id
            HAVING sum(a.cost_usd) > 0
            ORDER BY c.id
            """, budgetId)
                .fetch(r -> new UnheldCall(r.get(0, UUID.class), r.get(1, BigDecimal.class)));
    }
}
