package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_ATTEMPTS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_FEEDBACK;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_SCORES;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;

import io.aiops.policy.application.port.out.QualityLedger;
import io.aiops.policy.domain.SpendDimension;
import io.aiops.policy.domain.quality.ScoreSource;
import io.aiops.policy.domain.quality.ScoreType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** Quality figures over {@code calls}, {@code call_scores} and {@code call_feedback}, grouped in SQL. */
@Repository
class JooqQualityLedger implements QualityLedger {

    private static final String BOOLEAN = "BOOLEAN";

    private final DSLContext db;

    JooqQualityLedger(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<CallRow> calls(Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects) {
        List<Field<String>> keys = groupBy.stream()
                .map(d -> ReportColumns.of(d, CALLS.MODEL, CALLS.PROVIDER))
                .toList();
        // the answer the call returned: its first succeeded attempt (earlier ones failed or were turned away)
        Field<Integer> usedAttempt = DSL.field(DSL.select(DSL.min(CALL_ATTEMPTS.ATTEMPT_NO))
                .from(CALL_ATTEMPTS)
                .where(CALL_ATTEMPTS.CALL_ID.eq(CALLS.ID).and(CALL_ATTEMPTS.STATUS.eq("SUCCEEDED"))));
        Condition failedOnUsedAnswer = DSL.exists(DSL.selectOne()
                .from(CALL_SCORES)
                .where(CALL_SCORES
                        .CALL_ID
                        .eq(CALLS.ID)
                        .and(CALL_SCORES.SCORE_TYPE.eq(BOOLEAN))
                        .and(CALL_SCORES.VALUE.eq(BigDecimal.ZERO))
                        .and(CALL_SCORES.ATTEMPT_NO.isNull().or(CALL_SCORES.ATTEMPT_NO.eq(usedAttempt)))));
        Condition hasFeedback =
                DSL.exists(DSL.selectOne().from(CALL_FEEDBACK).where(CALL_FEEDBACK.CALL_ID.eq(CALLS.ID)));
        Condition feedbackFailed = DSL.exists(DSL.selectOne()
                .from(CALL_SCORES)
                .where(CALL_SCORES
                        .CALL_ID
                        .eq(CALLS.ID)
                        .and(CALL_SCORES.FEEDBACK_ID.isNotNull())
                        .and(CALL_SCORES.SCORE_TYPE.eq(BOOLEAN))
                        .and(CALL_SCORES.VALUE.eq(BigDecimal.ZERO))));
        Condition succeeded = CALLS.STATUS.eq("SUCCEEDED");
        Field<Integer> calls = DSL.count().as("calls");
        Field<Integer> succeededCalls = DSL.count().filterWhere(succeeded).as("succeeded");
        Field<Integer> successful =
                DSL.count().filterWhere(succeeded.andNot(failedOnUsedAnswer)).as("successful");
        Field<BigDecimal> cost = DSL.sum(CALLS.COST_USD).as("cost");
        Field<Integer> feedbackCalls = DSL.count().filterWhere(hasFeedback).as("feedback");
        Field<Integer> accepted =
                DSL.count().filterWhere(hasFeedback.andNot(feedbackFailed)).as("accepted");
        List<SelectFieldOrAsterisk> select = new ArrayList<>(keys);
        select.addAll(List.of(calls, succeededCalls, successful, cost, feedbackCalls, accepted));
        var query = db.select(select)
                .from(CALLS)
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(inRange(from, to, projects));
        var rows = keys.isEmpty()
                ? query.fetch()
                : query.groupBy(keys)
                        .orderBy(keys.stream().map(Field::asc).toList())
                        .fetch();
        return rows.stream()
                .filter(r -> r.get(calls) > 0)
                .map(r -> new CallRow(
                        keys.stream().map(r::get).toList(),
                        r.get(calls),
                        r.get(succeededCalls),
                        r.get(successful),
                        r.get(cost),
                        r.get(feedbackCalls),
                        r.get(accepted)))
                .toList();
    }

    @Override
    public List<ScoreRow> scores(Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects) {
        List<Field<String>> keys = groupBy.stream()
                .map(d -> ReportColumns.of(
                        d,
                        DSL.coalesce(CALL_ATTEMPTS.MODEL, CALLS.MODEL),
                        DSL.coalesce(CALL_ATTEMPTS.PROVIDER, CALLS.PROVIDER)))
                .toList();
        Field<Integer> count = DSL.count().as("scores");
        Field<BigDecimal> valueSum = DSL.sum(CALL_SCORES.VALUE).as("value_sum");
        Field<Integer> valueCount = DSL.count(CALL_SCORES.VALUE).as("value_count");
        Field<Integer> passed = DSL.count()
                .filterWhere(CALL_SCORES.SCORE_TYPE.eq(BOOLEAN).and(CALL_SCORES.VALUE.eq(BigDecimal.ONE)))
                .as("passed");
        List<Field<?>> groups = new ArrayList<>(keys);
        groups.addAll(List.of(CALL_SCORES.NAME, CALL_SCORES.SOURCE, CALL_SCORES.SCORE_TYPE));
        List<SelectFieldOrAsterisk> select = new ArrayList<>(groups);
        select.addAll(List.of(count, valueSum, valueCount, passed));
        return db
                .select(select)
                .from(CALL_SCORES)
                .join(CALLS)
                .on(CALLS.ID.eq(CALL_SCORES.CALL_ID))
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .leftJoin(CALL_ATTEMPTS)
                .on(CALL_ATTEMPTS
                        .CALL_ID
                        .eq(CALL_SCORES.CALL_ID)
                        .and(CALL_ATTEMPTS.ATTEMPT_NO.eq(CALL_SCORES.ATTEMPT_NO)))
                .where(inRange(from, to, projects))
                .groupBy(groups)
                .orderBy(groups.stream().map(Field::asc).toList())
                .fetch()
                .stream()
                .map(r -> new ScoreRow(
                        keys.stream().map(r::get).toList(),
                        r.get(CALL_SCORES.NAME),
                        ScoreSource.valueOf(r.get(CALL_SCORES.SOURCE)),
                        ScoreType.valueOf(r.get(CALL_SCORES.SCORE_TYPE)),
                        r.get(count),
                        r.get(valueSum) == null ? BigDecimal.ZERO : r.get(valueSum),
                        r.get(valueCount),
                        r.get(passed)))
                .toList();
    }

    private static Condition inRange(Instant from, Instant to, List<String> projects) {
        Condition where = CALLS.CREATED_AT.ge(ColumnValues.utc(from)).and(CALLS.CREATED_AT.lt(ColumnValues.utc(to)));
        return projects.isEmpty() ? where : where.and(DECISIONS.PROJECT.in(projects));
    }
}
