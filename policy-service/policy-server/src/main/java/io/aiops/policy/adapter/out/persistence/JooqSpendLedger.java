package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_ATTEMPTS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;

import io.aiops.policy.application.port.out.SpendLedger;
import io.aiops.policy.domain.SpendDimension;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Spend sums over {@code call_attempts} joined to their call and decision, grouped in one SQL statement. */
@Repository
class JooqSpendLedger implements SpendLedger {

    private final DSLContext db;

    JooqSpendLedger(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<SpendRow> spend(
            Instant from, Instant to, List<SpendDimension> groupBy, Map<String, String> tags, List<String> projects) {
        List<Field<String>> keys = groupBy.stream()
                .map(d -> ReportColumns.of(d, CALL_ATTEMPTS.MODEL, CALL_ATTEMPTS.PROVIDER))
                .toList();
        Field<Integer> calls = DSL.countDistinct(CALLS.ID).as("calls");
        Field<Integer> attempts = DSL.count().as("attempts");
        Field<BigDecimal> input = DSL.sum(CALL_ATTEMPTS.INPUT_TOKENS).as("input_tokens");
        Field<BigDecimal> output = DSL.sum(CALL_ATTEMPTS.OUTPUT_TOKENS).as("output_tokens");
        Field<BigDecimal> cost = DSL.sum(CALL_ATTEMPTS.COST_USD).as("cost");
        List<SelectFieldOrAsterisk> select = new ArrayList<>(keys);
        select.addAll(List.of(calls, attempts, input, output, cost));
        Condition where = CALLS.CREATED_AT.ge(ColumnValues.utc(from)).and(CALLS.CREATED_AT.lt(ColumnValues.utc(to)));
        if (!projects.isEmpty()) {
            where = where.and(DECISIONS.PROJECT.in(projects));
        }
        if (!tags.isEmpty()) {
            // jsonb containment uses the decisions' tags as stored
            where = where.and(DSL.condition(
                    "{0} @> {1}::jsonb",
                    DECISIONS.TAGS, DSL.val(ColumnValues.toJsonb(tags).data())));
        }
        var query = db.select(select)
                .from(CALL_ATTEMPTS)
                .join(CALLS)
                .on(CALLS.ID.eq(CALL_ATTEMPTS.CALL_ID))
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(where);
        var rows = keys.isEmpty()
                ? query.fetch()
                : query.groupBy(keys)
                        .orderBy(keys.stream().map(Field::asc).toList())
                        .fetch();
        return rows.stream()
                .filter(r -> r.get(attempts) > 0)
                .map(r -> new SpendRow(
                        keys.stream().map(r::get).toList(),
                        r.get(calls),
                        r.get(attempts),
                        r.get(input).longValueExact(),
                        r.get(output).longValueExact(),
                        r.get(cost)))
                .toList();
    }
}
