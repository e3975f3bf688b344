package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_ATTEMPTS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_SCORES;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;

import io.aiops.core.TokenUsage;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.domain.call.CallStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** The ledger sums the scheduled alert rules read: calls and attempts joined to their decisions, grouped in SQL. */
@Repository
class JooqAlertSignals implements AlertSignals {

    private final DSLContext db;

    JooqAlertSignals(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<UsageGroup> usage(
            String provider, String model, Collection<Long> thresholds, Instant from, Instant to) {
        List<Long> ordered = List.copyOf(new TreeSet<>(thresholds));
        List<Field<?>> keys =
                new ArrayList<>(List.of(DECISIONS.PROJECT, DECISIONS.BPMN_PROCESS_ID, CALL_ATTEMPTS.SERVICE_TIER));
        List<Field<Boolean>> above = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            Field<Boolean> side =
                    DSL.field(CALL_ATTEMPTS.INPUT_TOKENS.gt(ordered.get(i))).as("above_" + i);
            above.add(side);
            keys.add(side);
        }
        Field<Integer> attempts = DSL.count().as("attempts");
        Field<BigDecimal> input = DSL.sum(CALL_ATTEMPTS.INPUT_TOKENS).as("input");
        Field<BigDecimal> cached = DSL.sum(CALL_ATTEMPTS.CACHED_INPUT_TOKENS).as("cached");
        Field<BigDecimal> written =
                DSL.sum(CALL_ATTEMPTS.CACHE_WRITE_INPUT_TOKENS).as("written");
        Field<BigDecimal> written1h =
                DSL.sum(CALL_ATTEMPTS.CACHE_WRITE_1H_INPUT_TOKENS).as("written_1h");
        Field<BigDecimal> output = DSL.sum(CALL_ATTEMPTS.OUTPUT_TOKENS).as("output");
        Field<BigDecimal> reasoning = DSL.sum(CALL_ATTEMPTS.REASONING_TOKENS).as("reasoning");
        List<Field<?>> select = new ArrayList<>(keys);
        select.addAll(List.of(attempts, input, cached, written, written1h, output, reasoning));
        List<Field<?>> groupBy =
                new ArrayList<>(List.of(DECISIONS.PROJECT, DECISIONS.BPMN_PROCESS_ID, CALL_ATTEMPTS.SERVICE_TIER));
        for (int i = 0; i < ordered.size(); i++) {
            groupBy.add(DSL.field("above_" + i));
        }
        return db.select(select)
                .from(CALL_ATTEMPTS)
                .join(CALLS)
                .on(CALLS.ID.eq(CALL_ATTEMPTS.CALL_ID))
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(range(from, to))
                .and(CALL_ATTEMPTS.PROVIDER.eq(provider))
                .and(CALL_ATTEMPTS.MODEL.eq(model))
                .groupBy(groupBy)
                .fetch(r -> {
                    Set<Long> exceeded = new TreeSet<>();
                    for (int i = 0; i < ordered.size(); i++) {
                        if (Boolean.TRUE.equals(r.get(above.get(i)))) {
                            exceeded.add(ordered.get(i));
                        }
                    }
                    TokenUsage usage = new TokenUsage(
                            r.get(input).longValueExact(),
                            r.get(cached).longValueExact(),
                            r.get(written).longValueExact(),
                            r.get(written1h).longValueExact(),
                            r.get(output).longValueExact(),
                            r.get(reasoning).longValueExact(),
                            r.get(CALL_ATTEMPTS.SERVICE_TIER));
                    return new UsageGroup(
                            r.get(DECISIONS.PROJECT),
                            r.get(DECISIONS.BPMN_PROCESS_ID),
                            r.get(attempts),
                            usage,
                            exceeded);
                });
    }

    @Override
    public List<ScopeSpend> spend(String project, String bpmnProcessId, Instant from, Instant to) {
        Field<BigDecimal> cost = DSL.sum(CALLS.COST_USD).as("cost");
        List<Field<?>> keys = new ArrayList<>(List.of(DECISIONS.PROJECT));
        if (bpmnProcessId != null) {
            keys.add(DECISIONS.BPMN_PROCESS_ID);
        }
        List<Field<?>> select = new ArrayList<>(keys);
        select.add(cost);
        return db.select(select)
                .from(CALLS)
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(range(from, to))
                .and(scope(project, bpmnProcessId))
                .groupBy(keys)
                .fetch(r -> new ScopeSpend(
                        r.get(DECISIONS.PROJECT),
                        bpmnProcessId == null ? null : r.get(DECISIONS.BPMN_PROCESS_ID),
                        r.get(cost)));
    }

    @Override
    public List<AttemptCounts> attempts(String project, String provider, String model, Instant from, Instant to) {
        Field<Integer> attempts = DSL.count().as("attempts");
        Field<Integer> failed = DSL.count()
                .filterWhere(CALL_ATTEMPTS
                        .STATUS
                        .eq(CallStatus.FAILED.name())
                        .and(CALL_ATTEMPTS.ERROR_CLASS.isDistinctFrom(CallOutcome.QUALITY_GATE)))
                .as("failed");
        Condition where = range(from, to).and(scope(project, null));
        if (provider != null) {
            where = where.and(CALL_ATTEMPTS.PROVIDER.eq(provider));
        }
        if (model != null) {
            where = where.and(CALL_ATTEMPTS.MODEL.eq(model));
        }
        var narrowed = db.select(attempts, failed)
                .from(CALL_ATTEMPTS)
                .join(CALLS)
                .on(CALLS.ID.eq(CALL_ATTEMPTS.CALL_ID))
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(where);
        if (provider != null || model != null) {
            // one group over the narrowed attempts; a rule without a project reports them organisation-wide
            return narrowed.fetch(r -> new AttemptCounts(project, r.get(attempts), r.get(failed)));
        }
        return db.select(DECISIONS.PROJECT, attempts, failed)
                .from(CALL_ATTEMPTS)
                .join(CALLS)
                .on(CALLS.ID.eq(CALL_ATTEMPTS.CALL_ID))
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(where)
                .groupBy(DECISIONS.PROJECT)
                .fetch(r -> new AttemptCounts(r.get(DECISIONS.PROJECT), r.get(attempts), r.get(failed)));
    }

    @Override
    public List<FirstUse> firstUsesSince(String project, String bpmnProcessId, Instant since) {
        Field<OffsetDateTime> first = DSL.min(CALLS.CREATED_AT).as("first_used_at");
        return db.select(
                        DECISIONS.PROJECT,
                        DECISIONS.BPMN_PROCESS_ID,
                        CALL_ATTEMPTS.PROVIDER,
                        CALL_ATTEMPTS.MODEL,
                        first)
                .from(CALL_ATTEMPTS)
                .join(CALLS)
                .on(CALLS.ID.eq(CALL_ATTEMPTS.CALL_ID))
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(scope(project, bpmnProcessId))
                .groupBy(DECISIONS.PROJECT, DECISIONS.BPMN_PROCESS_ID, CALL_ATTEMPTS.PROVIDER, CALL_ATTEMPTS.MODEL)
                // the whole history counts: a model used once long ago is not new
                .having(DSL.min(CALLS.CREATED_AT).ge(ColumnValues.utc(since)))
                .orderBy(first)
                .fetch(r -> new FirstUse(
                        r.get(DECISIONS.PROJECT),
                        r.get(DECISIONS.BPMN_PROCESS_ID),
                        r.get(CALL_ATTEMPTS.PROVIDER),
                        r.get(CALL_ATTEMPTS.MODEL),
                        ColumnValues.instant(r.get(first))));
    }

    @Override
    public List<ModelCalls> modelCalls(String project, String bpmnProcessId, Instant from, Instant to) {
        Field<Integer> calls = DSL.count().as("calls");
        return db.select(DECISIONS.PROJECT, DECISIONS.BPMN_PROCESS_ID, CALLS.PROVIDER, CALLS.MODEL, calls)
                .from(CALLS)
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(range(from, to))
                .and(scope(project, bpmnProcessId))
                .groupBy(DECISIONS.PROJECT, DECISIONS.BPMN_PROCESS_ID, CALLS.PROVIDER, CALLS.MODEL)
                .orderBy(DECISIONS.PROJECT, DECISIONS.BPMN_PROCESS_ID, CALLS.PROVIDER, CALLS.MODEL)
                .fetch(r -> new ModelCalls(
                        r.get(DECISIONS.PROJECT),
                        r.get(DECISIONS.BPMN_PROCESS_ID),
                        r.get(CALLS.PROVIDER),
                        r.get(CALLS.MODEL),
                        r.get(calls)));
    }

    @Override
    public List<PassCounts> passCounts(
            String project,
            String bpmnProcessId,
            String provider,
            String model,
            String scoreName,
            Instant from,
            Instant to) {
        Field<String> scoredProvider = DSL.coalesce(CALL_ATTEMPTS.PROVIDER, CALLS.PROVIDER);
        Field<String> scoredModel = DSL.coalesce(CALL_ATTEMPTS.MODEL, CALLS.MODEL);
        Field<Integer> scores = DSL.count().as("scores");
        Field<Integer> passed =
                DSL.count().filterWhere(CALL_SCORES.VALUE.eq(BigDecimal.ONE)).as("passed");
        Condition where = range(from, to).and(scope(project, bpmnProcessId)).and(CALL_SCORES.SCORE_TYPE.eq("BOOLEAN"));
        if (provider != null) {
            where = where.and(scoredProvider.eq(provider));
        }
        if (model != null) {
            where = where.and(scoredModel.eq(model));
        }
        if (scoreName != null) {
            where = where.and(CALL_SCORES.NAME.eq(scoreName));
        }
        List<Field<?>> keys = List.of(
                DECISIONS.PROJECT,
                DECISIONS.BPMN_PROCESS_ID,
                DECISIONS.ELEMENT_ID,
                scoredProvider,
                scoredModel,
                CALL_SCORES.NAME);
        return db.select(keys)
                .select(scores, passed)
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
                .where(where)
                .groupBy(keys)
                .orderBy(keys)
                .fetch(r -> new PassCounts(
                        r.get(DECISIONS.PROJECT),
                        r.get(DECISIONS.BPMN_PROCESS_ID),
                        r.get(DECISIONS.ELEMENT_ID),
                        r.get(scoredProvider),
                        r.get(scoredModel),
                        r.get(CALL_SCORES.NAME),
                        r.get(scores),
                        r.get(passed)));
    }

    @Override
    public List<PromptUsage> promptUsage(String project, String bpmnProcessId, Instant from, Instant to) {
        Field<Integer> calls = DSL.count().as("calls");
        Field<BigDecimal> input = DSL.sum(CALLS.INPUT_TOKENS).as("input_tokens");
        List<Field<?>> keys = List.of(
                DECISIONS.PROJECT,
                DECISIONS.BPMN_PROCESS_ID,
                DECISIONS.ELEMENT_ID,
                CALLS.PROMPT_NAME,
                CALLS.PROMPT_VERSION);
        return db.select(keys)
                .select(calls, input)
                .from(CALLS)
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(range(from, to))
                .and(scope(project, bpmnProcessId))
                .and(CALLS.PROMPT_NAME.isNotNull())
                .groupBy(keys)
                .orderBy(keys)
                .fetch(r -> new PromptUsage(
                        r.get(DECISIONS.PROJECT),
                        r.get(DECISIONS.BPMN_PROCESS_ID),
                        r.get(DECISIONS.ELEMENT_ID),
                        r.get(CALLS.PROMPT_NAME),
                        r.get(CALLS.PROMPT_VERSION),
                        r.get(calls),
                        r.get(input).longValueExact()));
    }

    private static Condition range(Instant from, Instant to) {
        return CALLS.CREATED_AT.ge(ColumnValues.utc(from)).and(CALLS.CREATED_AT.lt(ColumnValues.utc(to)));
    }

    private static Condition scope(String project, String bpmnProcessId) {
        Condition scope = DSL.noCondition();
        if (project != null) {
            scope = scope.and(DECISIONS.PROJECT.eq(project));
        }
        if (bpmnProcessId != null) {
            scope = scope.and(DECISIONS.BPMN_PROCESS_ID.eq(bpmnProcessId));
        }
        return scope;
    }
}
