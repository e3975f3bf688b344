package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.INSTANCE_SPEND;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.LEDGER_HOURLY;

import io.aiops.policy.application.port.out.LedgerRollups;
import io.aiops.policy.domain.SpendDimension;
import io.aiops.policy.domain.report.InstanceSpend;
import io.aiops.policy.domain.report.LatencyHistogram;
import io.aiops.policy.domain.report.LedgerFigures;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Repository;

@Repository
class JooqLedgerRollups implements LedgerRollups {

    private static final Field<Long> CALLS = summed(LEDGER_HOURLY.CALLS);
    private static final Field<Long> FAILED_CALLS = summed(LEDGER_HOURLY.FAILED_CALLS);
    private static final Field<Long> FAILED_OVER = summed(LEDGER_HOURLY.FAILED_OVER_CALLS);
    private static final Field<Long> ATTEMPTS = summed(LEDGER_HOURLY.ATTEMPTS);
    private static final Field<Long> FAILED_ATTEMPTS = summed(LEDGER_HOURLY.FAILED_ATTEMPTS);
    private static final Field<Long> INPUT = summed(LEDGER_HOURLY.INPUT_TOKENS);
    private static final Field<Long> OUTPUT = summed(LEDGER_HOURLY.OUTPUT_TOKENS);
    private static final Field<BigDecimal> COST =
            DSL.sum(LEDGER_HOURLY.COST_USD).as("cost_usd");
    /** Bucket-wise sums of the latency histograms, as one array. */
    private static final Field<Long[]> LATENCY = latencySums();

    private final DSLContext db;

    JooqLedgerRollups(DSLContext db) {
        this.db = db;
    }

    /** A count column summed over the rows read, as a long, named as the column. */
    private static Field<Long> summed(Field<Long> column) {
        return DSL.sum(column).cast(SQLDataType.BIGINT).as(column.getName());
    }

    private static Field<Long[]> latencySums() {
        StringBuilder sql = new StringBuilder("ARRAY[");
        for (int i = 1; i <= LatencyHistogram.BUCKETS; i++) {
            sql.append(i == 1 ? "" : ", ")
                    .append("coalesce(sum(latency_buckets[")
                    .append(i)
                    .append("]), 0)::bigint");
        }
        return DSL.field(sql.append("]").toString(), SQLDataType.BIGINT.array()).as("latency");
    }

    @Override
    public boolean hasCalls(Scope scope) {
        return db.fetchExists(LEDGER_HOURLY, where(Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"), scope));
    }

    @Override
    public LedgerFigures total(Instant from, Instant to, Scope scope) {
        List<Group> rows = grouped(from, to, scope, List.of());
        return rows.isEmpty() ? LedgerFigures.NONE : rows.getFirst().figures();
    }

    @Override
    public List<Group> grouped(Instant from, Instant to, Scope scope, List<SpendDimension> dimensions) {
        List<Field<String>> keys =
                dimensions.stream().map(JooqLedgerRollups::column).toList();
        List<SelectFieldOrAsterisk> select = new ArrayList<>(keys);
        select.addAll(
                List.of(CALLS, FAILED_CALLS, FAILED_OVER, ATTEMPTS, FAILED_ATTEMPTS, INPUT, OUTPUT, COST, LATENCY));
        var query = db.select(select).from(LEDGER_HOURLY).where(where(from, to, scope));
        var rows = keys.isEmpty()
                ? query.fetch()
                : query.groupBy(keys)
                        .orderBy(keys.stream().map(Field::asc).toList())
                        .fetch();
        return rows.stream()
                .filter(r -> r.get(ATTEMPTS) != null && r.get(ATTEMPTS) > 0)
                .map(r -> new Group(keys.stream().map(r::get).toList(), figures(r)))
                .toList();
    }

    @Override
    public List<InstanceSpend> costliestInstances(Instant from, Instant to, Scope scope, int limit) {
        Condition where = INSTANCE_SPEND
                .LAST_CALL_AT
                .ge(ColumnValues.utc(hour(from)))
                .and(INSTANCE_SPEND.FIRST_CALL_AT.lt(ColumnValues.utc(hour(to))));
        if (!scope.projects().isEmpty()) {
            where = where.and(INSTANCE_SPEND.PROJECT.in(scope.projects()));
        }
        if (scope.workflow() != null) {
            where = where.and(INSTANCE_SPEND.BPMN_PROCESS_ID.eq(scope.workflow()));
        }
        return db.selectFrom(INSTANCE_SPEND)
                .where(where)
                .orderBy(INSTANCE_SPEND.COST_USD.desc(), INSTANCE_SPEND.PROCESS_INSTANCE_KEY)
                .limit(limit)
                .fetch(r -> new InstanceSpend(
                        r.getProject(),
                        r.getProcessInstanceKey(),
                        r.getBpmnProcessId(),
                        r.getFirstCallAt().toInstant(),
                        r.getLastCallAt().toInstant(),
                        r.getCalls(),
                        r.getCostUsd()));
    }

    private static Condition where(Instant from, Instant to, Scope scope) {
        Condition where = LEDGER_HOURLY
                .HOUR
                .ge(ColumnValues.utc(hour(from)))
                .and(LEDGER_HOURLY.HOUR.lt(ColumnValues.utc(hour(to))));
        if (!scope.projects().isEmpty()) {
            where = where.and(LEDGER_HOURLY.PROJECT.in(scope.projects()));
        }
        if (scope.workflow() != null) {
            where = where.and(LEDGER_HOURLY.BPMN_PROCESS_ID.eq(scope.workflow()));
        }
        return where;
    }

    private static Instant hour(Instant instant) {
        return instant.truncatedTo(ChronoUnit.HOURS);
    }

    private static LedgerFigures figures(Record r) {
        Long[] buckets = r.get(LATENCY);
        long[] counts = new long[LatencyHistogram.BUCKETS];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i];
        }
        return new LedgerFigures(
                r.get(CALLS),
                r.get(FAILED_CALLS),
                r.get(FAILED_OVER),
                r.get(ATTEMPTS),
                r.get(FAILED_ATTEMPTS),
                r.get(INPUT),
                r.get(OUTPUT),
                r.get(COST),
                LatencyHistogram.of(counts));
    }

    private static Field<String> column(SpendDimension dimension) {
        return switch (dimension) {
            case PROJECT -> LEDGER_HOURLY.PROJECT;
            case WORKFLOW -> LEDGER_HOURLY.BPMN_PROCESS_ID;
            case ELEMENT -> LEDGER_HOURLY.ELEMENT_ID;
            case MODEL -> LEDGER_HOURLY.MODEL;
            case PROVIDER -> LEDGER_HOURLY.PROVIDER;
            // calendar days in UTC, as 2026-11-26 (as the spend report names them)
            case DAY -> DSL.field("to_char({0} at time zone 'UTC', 'YYYY-MM-DD')", String.class, LEDGER_HOURLY.HOUR);
            case PROCESS_DEFINITION, PROMPT ->
                throw new IllegalArgumentException("the rollups are not kept by " + dimension.parameterName());
        };
    }
}
