package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_ATTEMPTS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_FEEDBACK;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_SCORES;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.QUALITY_CALLS_HOURLY;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.QUALITY_HOURLY;

import io.aiops.policy.application.port.out.QualityLedger;
import io.aiops.policy.domain.SpendDimension;
import io.aiops.policy.domain.quality.ScoreSource;
import io.aiops.policy.domain.quality.ScoreType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.SelectFieldOrAsterisk;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Repository;

/**
 * Quality figures of a range: its whole UTC hours from the hourly rollups ({@code quality_calls_hourly},
 * {@code quality_hourly}, kept with every outcome and feedback by {@code quality_rollup}, V83), the partial hours at
 * either end from {@code calls}, {@code call_scores} and {@code call_feedback}; both added up in one query, so the
 * figures are the ledger's, exactly. A report by process definition (the rollups do not keep it) reads the ledger.
 */
@Repository
class JooqQualityLedger implements QualityLedger {

    private static final String BOOLEAN = "BOOLEAN";
    private static final List<String> CALL_FIGURES =
            List.of("calls", "succeeded", "successful", "cost", "feedback", "accepted");
    private static final List<String> SCORE_FIGURES = List.of("scores", "value_sum", "value_count", "passed");

    private final DSLContext db;

    JooqQualityLedger(DSLContext db) {
        this.db = db;
    }

    /** A part of the range, read from the rollups (whole hours) or from the ledger. */
    private record Part(Instant from, Instant to, boolean rollup) {}

    /** {@code [from, to)} as its partial first hour, its whole hours and its partial last hour (the ones it has). */
    private static List<Part> parts(Instant from, Instant to, List<SpendDimension> groupBy) {
        Instant firstWhole = from.truncatedTo(ChronoUnit.HOURS).equals(from)
                ? from
                : from.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        Instant lastWhole = to.truncatedTo(ChronoUnit.HOURS);
        if (groupBy.contains(SpendDimension.PROCESS_DEFINITION) || !firstWhole.isBefore(lastWhole)) {
            return List.of(new Part(from, to, false));
        }
        List<Part> parts = new ArrayList<>();
        if (from.isBefore(firstWhole)) {
            parts.add(new Part(from, firstWhole, false));
        }
        parts.add(new Part(firstWhole, lastWhole, true));
        if (lastWhole.isBefore(to)) {
            parts.add(new Part(lastWhole, to, false));
        }
        return parts;
    }

    @Override
    public List<CallRow> calls(Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects) {
        return calls(parts(from, to, groupBy), groupBy, projects);
    }

    @Override
    public List<ScoreRow> scores(Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects) {
        return scores(parts(from, to, groupBy), groupBy, projects);
    }

    /** The figures from the ledger alone, as they were computed before the rollups: what the rollups must equal. */
    List<CallRow> callsFromLedger(Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects) {
        return calls(List.of(new Part(from, to, false)), groupBy, projects);
    }

    /** The scores from the ledger alone. */
    List<ScoreRow> scoresFromLedger(Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects) {
        return scores(List.of(new Part(from, to, false)), groupBy, projects);
    }

    private List<CallRow> calls(List<Part> parts, List<SpendDimension> groupBy, List<String> projects) {
        Table<?> all = union(
                        parts,
                        p -> p.rollup()
                                ? rollupCalls(p.from(), p.to(), groupBy, projects)
                                : ledgerCalls(p.from(), p.to(), groupBy, projects))
                .asTable("parts");
        List<Field<String>> keys = keys(all, groupBy.size());
        List<SelectFieldOrAsterisk> select = new ArrayList<>(keys);
        CALL_FIGURES.forEach(f -> select.add(total(all, f)));
        return grouped(all, keys, select).stream()
                .filter(r -> r.get("calls", Long.class) > 0)
                .map(r -> new CallRow(
                        keys.stream().map(r::get).toList(),
                        r.get("calls", Long.class),
                        r.get("succeeded", Long.class),
                        r.get("successful", Long.class),
                        r.get("cost", BigDecimal.class),
                        r.get("feedback", Long.class),
                        r.get("accepted", Long.class)))
                .toList();
    }

    private List<ScoreRow> scores(List<Part> parts, List<SpendDimension> groupBy, List<String> projects) {
        Table<?> all = union(
                        parts,
                        p -> p.rollup()
                                ? rollupScores(p.from(), p.to(), groupBy, projects)
                                : ledgerScores(p.from(), p.to(), groupBy, projects))
                .asTable("parts");
        List<Field<String>> keys = new ArrayList<>(keys(all, groupBy.size()));
        List<Field<String>> scoreKeys = List.of(
                all.field("score_name", String.class),
                all.field("source", String.class),
                all.field("score_type", String.class));
        List<Field<String>> groups = new ArrayList<>(keys);
        groups.addAll(scoreKeys);
        List<SelectFieldOrAsterisk> select = new ArrayList<>(groups);
        SCORE_FIGURES.forEach(f -> select.add(total(all, f)));
        return grouped(all, groups, select).stream()
                .map(r -> new ScoreRow(
                        keys.stream().map(r::get).toList(),
                        r.get(scoreKeys.get(0)),
                        ScoreSource.valueOf(r.get(scoreKeys.get(1))),
                        ScoreType.valueOf(r.get(scoreKeys.get(2))),
                        r.get("scores", Long.class),
                        r.get("value_sum", BigDecimal.class),
                        r.get("value_count", Long.class),
                        r.get("passed", Long.class)))
                .toList();
    }

    private static Select<? extends Record> union(List<Part> parts, Function<Part, Select<? extends Record>> read) {
        Select<? extends Record> union = null;
        for (Part part : parts) {
            Select<? extends Record> select = read.apply(part);
            union = union == null ? select : unionAll(union, select);
        }
        return union;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Select<? extends Record> unionAll(Select<? extends Record> a, Select<? extends Record> b) {
        return ((Select) a).unionAll((Select) b);
    }

    private List<Record> grouped(Table<?> all, List<Field<String>> groups, List<SelectFieldOrAsterisk> select) {
        var query = db.select(select).from(all);
        return groups.isEmpty()
                ? query.fetch().stream().map(r -> (Record) r).toList()
                : query.groupBy(groups).orderBy(groups.stream().map(Field::asc).toList()).fetch().stream()
                        .map(r -> (Record) r)
                        .toList();
    }

    private static List<Field<String>> keys(Table<?> all, int size) {
        List<Field<String>> keys = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            keys.add(all.field(key(i), String.class));
        }
        return keys;
    }

    private static String key(int i) {
        return "k" + i;
    }

    /** A figure summed over the parts (none: 0), as a bigint, or for money and values as an exact numeric. */
    private static Field<?> total(Table<?> all, String name) {
        Field<BigDecimal> sum = DSL.coalesce(DSL.sum(all.field(name, BigDecimal.class)), BigDecimal.ZERO);
        return name.equals("cost") || name.equals("value_sum")
                ? sum.as(name)
                : sum.cast(SQLDataType.BIGINT).as(name);
    }

    // --- the ledger

    private Select<? extends Record> ledgerCalls(
            Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects) {
        List<Field<String>> keys = new ArrayList<>();
        for (int i = 0; i < groupBy.size(); i++) {
            keys.add(ReportColumns.of(groupBy.get(i), CALLS.MODEL, CALLS.PROVIDER));
        }
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
        List<SelectFieldOrAsterisk> select = aliased(keys);
        select.addAll(List.of(
                DSL.count().as("calls"),
                DSL.count().filterWhere(succeeded).as("succeeded"),
                DSL.count().filterWhere(succeeded.andNot(failedOnUsedAnswer)).as("successful"),
                DSL.sum(CALLS.COST_USD).as("cost"),
                DSL.count().filterWhere(hasFeedback).as("feedback"),
                DSL.count().filterWhere(hasFeedback.andNot(feedbackFailed)).as("accepted")));
        var query = db.select(select)
                .from(CALLS)
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(inRange(from, to, projects));
        return keys.isEmpty() ? query : query.groupBy(keys);
    }

    private Select<? extends Record> ledgerScores(
            Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects) {
        List<Field<String>> keys = new ArrayList<>();
        for (SpendDimension d : groupBy) {
            keys.add(ReportColumns.of(
                    d,
                    DSL.coalesce(CALL_ATTEMPTS.MODEL, CALLS.MODEL),
                    DSL.coalesce(CALL_ATTEMPTS.PROVIDER, CALLS.PROVIDER)));
        }
        List<Field<?>> groups = new ArrayList<>(keys);
        groups.addAll(List.of(CALL_SCORES.NAME, CALL_SCORES.SOURCE, CALL_SCORES.SCORE_TYPE));
        List<SelectFieldOrAsterisk> select = aliased(keys);
        select.addAll(List.of(
                CALL_SCORES.NAME.as("score_name"),
                CALL_SCORES.SOURCE.as("source"),
                CALL_SCORES.SCORE_TYPE.as("score_type"),
                DSL.count().as("scores"),
                DSL.sum(CALL_SCORES.VALUE).as("value_sum"),
                DSL.count(CALL_SCORES.VALUE).as("value_count"),
                DSL.count()
                        .filterWhere(CALL_SCORES.SCORE_TYPE.eq(BOOLEAN).and(CALL_SCORES.VALUE.eq(BigDecimal.ONE)))
                        .as("passed")));
        return db.select(select)
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
                .groupBy(groups);
    }

    private static Condition inRange(Instant from, Instant to, List<String> projects) {
        Condition where = CALLS.CREATED_AT.ge(ColumnValues.utc(from)).and(CALLS.CREATED_AT.lt(ColumnValues.utc(to)));
        return projects.isEmpty() ? where : where.and(DECISIONS.PROJECT.in(projects));
    }

    // --- the rollups

    private Select<? extends Record> rollupCalls(
            Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects) {
        var t = QUALITY_CALLS_HOURLY;
        List<Field<String>> keys = new ArrayList<>();
        for (SpendDimension d : groupBy) {
            keys.add(rollupColumn(
                    d,
                    t.PROJECT,
                    t.BPMN_PROCESS_ID,
                    t.ELEMENT_ID,
                    t.PROVIDER,
                    t.MODEL,
                    t.PROMPT_NAME,
                    t.PROMPT_VERSION,
                    t.HOUR));
        }
        List<SelectFieldOrAsterisk> select = aliased(keys);
        select.addAll(List.of(
                DSL.sum(t.CALLS).as("calls"),
                DSL.sum(t.SUCCEEDED_CALLS).as("succeeded"),
                DSL.sum(t.SUCCESSFUL_CALLS).as("successful"),
                DSL.sum(t.COST_USD).as("cost"),
                DSL.sum(t.FEEDBACK_CALLS).as("feedback"),
                DSL.sum(t.ACCEPTED_CALLS).as("accepted")));
        Condition where = t.HOUR.ge(ColumnValues.utc(from)).and(t.HOUR.lt(ColumnValues.utc(to)));
        var query = db.select(select).from(t).where(projects.isEmpty() ? where : where.and(t.PROJECT.in(projects)));
        return keys.isEmpty() ? query : query.groupBy(keys);
    }

    private Select<? extends Record> rollupScores(
            Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects) {
        var t = QUALITY_HOURLY;
        List<Field<String>> keys = new ArrayList<>();
        for (SpendDimension d : groupBy) {
            keys.add(rollupColumn(
                    d,
                    t.PROJECT,
                    t.BPMN_PROCESS_ID,
                    t.ELEMENT_ID,
                    t.PROVIDER,
                    t.MODEL,
                    t.PROMPT_NAME,
                    t.PROMPT_VERSION,
                    t.HOUR));
        }
        List<Field<?>> groups = new ArrayList<>(keys);
        groups.addAll(List.of(t.SCORE_NAME, t.SOURCE, t.SCORE_TYPE));
        List<SelectFieldOrAsterisk> select = aliased(keys);
        select.addAll(List.of(
                t.SCORE_NAME.as("score_name"),
                t.SOURCE.as("source"),
                t.SCORE_TYPE.as("score_type"),
                DSL.sum(t.SCORED).as("scores"),
                // none (as the ledger's sum over no values) when no score of the group has a value
                DSL.sum(t.VALUE_SUM).filterWhere(t.VALUED.gt(0L)).as("value_sum"),
                DSL.sum(t.VALUED).as("value_count"),
                DSL.sum(t.PASSED).as("passed")));
        Condition where = t.HOUR.ge(ColumnValues.utc(from)).and(t.HOUR.lt(ColumnValues.utc(to)));
        return db.select(select)
                .from(t)
                .where(projects.isEmpty() ? where : where.and(t.PROJECT.in(projects)))
                .groupBy(groups);
    }

    /** A rollup's column for {@code dimension}, spelled as {@link ReportColumns} spells the ledger's. */
    private static Field<String> rollupColumn(
            SpendDimension dimension,
            Field<String> project,
            Field<String> workflow,
            Field<String> element,
            Field<String> provider,
            Field<String> model,
            Field<String> promptName,
            Field<Integer> promptVersion,
            TableField<?, java.time.OffsetDateTime> hour) {
        return switch (dimension) {
            case PROJECT -> project;
            case WORKFLOW -> workflow;
            case ELEMENT -> element;
            case MODEL -> model;
            case PROVIDER -> provider;
            // name@version; '' is a call without a registered prompt, null in the report as in the ledger
            case PROMPT -> DSL.field("nullif({0}, '') || '@' || {1}", String.class, promptName, promptVersion);
            case DAY -> DSL.field("to_char({0} at time zone 'UTC', 'YYYY-MM-DD')", String.class, hour);
            case PROCESS_DEFINITION ->
                throw new IllegalArgumentException("the quality rollups are not kept by process definition");
        };
    }

    private static List<SelectFieldOrAsterisk> aliased(List<Field<String>> keys) {
        List<SelectFieldOrAsterisk> select = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            select.add(keys.get(i).as(key(i)));
        }
        return select;
    }
}
