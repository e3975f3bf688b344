package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_ATTEMPTS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;

import io.aiops.policy.adapter.out.persistence.jooq.tables.records.CallAttemptsRecord;
import io.aiops.policy.application.port.out.CallLedger;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.call.CallReceipt;
import io.aiops.policy.domain.call.CallStatus;
import io.aiops.policy.domain.call.RecordedCall;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** The ledger in the {@code calls} and {@code call_attempts} tables. */
@Repository
class JooqCallLedger implements CallLedger {

    private final DSLContext db;

    JooqCallLedger(DSLContext db) {
        this.db = db;
    }

    @Override
    public Optional<CallReceipt> receiptOf(UUID decisionId) {
        return db.select(CALLS.ID, CALLS.COST_USD, CALLS.STATUS, CALLS.RELEASED_USD)
                .from(CALLS)
                .where(CALLS.DECISION_ID.eq(decisionId))
                .fetchOptional(r -> new CallReceipt(
                        r.value1(), Money.shown(r.value2()), CallStatus.valueOf(r.value3()), Money.shown(r.value4())));
    }

    @Override
    public boolean insertIfAbsent(NewCall call) {
        Optional<Long> inserted = db.insertInto(CALLS)
                .set(CALLS.ID, call.id())
                .set(CALLS.DECISION_ID, call.decisionId())
                .set(CALLS.STATUS, call.status().name())
                .set(CALLS.PROVIDER, call.provider())
                .set(CALLS.MODEL, call.model())
                .set(CALLS.INPUT_TOKENS, call.totalUsage().inputTokens())
                .set(CALLS.CACHED_INPUT_TOKENS, call.totalUsage().cachedInputTokens())
                .set(CALLS.CACHE_WRITE_INPUT_TOKENS, call.totalUsage().cacheWriteInputTokens())
                .set(CALLS.OUTPUT_TOKENS, call.totalUsage().outputTokens())
                .set(CALLS.REASONING_TOKENS, call.totalUsage().reasoningTokens())
                .set(CALLS.LATENCY_MS, call.latencyMs())
                .set(CALLS.COST_USD, call.costUsd())
                .set(CALLS.RELEASED_USD, call.releasedUsd())
                .set(CALLS.QUALITY_SCORES, ColumnValues.toJsonb(call.qualityScores()))
                .set(CALLS.REQUEST_TEXT, call.requestText())
                .set(CALLS.RESPONSE_TEXT, call.responseText())
                .set(CALLS.PROMPT_NAME, call.promptName())
                .set(CALLS.PROMPT_VERSION, call.promptVersion())
                .set(CALLS.TRACE_ID, call.traceId())
                .set(CALLS.CREATED_AT, ColumnValues.utc(call.createdAt()))
                .onConflict(CALLS.DECISION_ID)
                .doNothing()
                .returning(CALLS.LEDGER_SEQ)
                .fetchOptional(CALLS.LEDGER_SEQ);
        if (inserted.isEmpty()) {
            return false;
        }
        for (PricedAttempt a : call.attempts()) {
            db.insertInto(CALL_ATTEMPTS)
                    .set(CALL_ATTEMPTS.CALL_ID, call.id())
                    .set(CALL_ATTEMPTS.ATTEMPT_NO, a.attemptNo())
                    .set(CALL_ATTEMPTS.PROVIDER, a.provider())
                    .set(CALL_ATTEMPTS.MODEL, a.model())
                    .set(CALL_ATTEMPTS.INPUT_TOKENS, a.usage().inputTokens())
                    .set(CALL_ATTEMPTS.CACHED_INPUT_TOKENS, a.usage().cachedInputTokens())
                    .set(CALL_ATTEMPTS.CACHE_WRITE_INPUT_TOKENS, a.usage().cacheWriteInputTokens())
                    .set(CALL_ATTEMPTS.CACHE_WRITE_1H_INPUT_TOKENS, a.usage().cacheWrite1hInputTokens())
                    .set(CALL_ATTEMPTS.SERVICE_TIER, a.usage().serviceTier())
                    .set(CALL_ATTEMPTS.OUTPUT_TOKENS, a.usage().outputTokens())
                    .set(CALL_ATTEMPTS.REASONING_TOKENS, a.usage().reasoningTokens())
                    .set(CALL_ATTEMPTS.LATENCY_MS, a.latencyMs())
                    .set(CALL_ATTEMPTS.STATUS, a.status().name())
                    .set(CALL_ATTEMPTS.ERROR_CLASS, a.errorClass())
                    .set(CALL_ATTEMPTS.COST_USD, a.costUsd())
                    .execute();
        }
        // the dashboards' rollups, in this transaction: they never disagree with the ledger (V80 states the rule)
        db.execute("SELECT ledger_rollup({0}, {0})", DSL.val(inserted.get()));
        return true;
    }

    @Override
    public Map<UUID, StoredTexts> textsOf(List<UUID> callIds) {
        if (callIds.isEmpty()) {
            return Map.of();
        }
        return db.select(CALLS.ID, CALLS.REQUEST_TEXT, CALLS.RESPONSE_TEXT)
                .from(CALLS)
                .where(CALLS.ID.in(callIds))
                .fetchMap(CALLS.ID, r -> new StoredTexts(r.value2(), r.value3()));
    }

    @Override
    public List<RecordedCall> callsOfProcessInstance(long processInstanceKey) {
        var calls = db.select(CALLS.fields())
                .select(DECISIONS.fields())
                .from(CALLS)
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(DECISIONS.PROCESS_INSTANCE_KEY.eq(processInstanceKey))
                .orderBy(CALLS.CREATED_AT, CALLS.LEDGER_SEQ)
                .fetch();
        if (calls.isEmpty()) {
            return List.of();
        }
        List<UUID> callIds = calls.map(r -> r.get(CALLS.ID));
        Map<UUID, List<RecordedCall.Attempt>> attempts = db
                .selectFrom(CALL_ATTEMPTS)
                .where(CALL_ATTEMPTS.CALL_ID.in(callIds))
                .orderBy(CALL_ATTEMPTS.CALL_ID, CALL_ATTEMPTS.ATTEMPT_NO)
                .fetch()
                .stream()
                .collect(Collectors.groupingBy(
                        CallAttemptsRecord::getCallId,
                        Collectors.mapping(JooqCallLedger::toAttempt, Collectors.toList())));
        return calls.map(r -> new RecordedCall(
                r.get(CALLS.ID),
                r.get(CALLS.DECISION_ID),
                r.get(DECISIONS.PROJECT),
                r.get(DECISIONS.BPMN_PROCESS_ID),
                r.get(DECISIONS.PROCESS_DEFINITION_KEY),
                r.get(DECISIONS.PROCESS_INSTANCE_KEY),
                r.get(DECISIONS.ELEMENT_ID),
                r.get(DECISIONS.ELEMENT_INSTANCE_KEY),
                r.get(DECISIONS.JOB_KEY),
                r.get(DECISIONS.TASK_KIND),
                CallStatus.valueOf(r.get(CALLS.STATUS)),
                r.get(CALLS.PROVIDER),
                r.get(CALLS.MODEL),
                r.get(CALLS.INPUT_TOKENS),
                r.get(CALLS.CACHED_INPUT_TOKENS),
                r.get(CALLS.CACHE_WRITE_INPUT_TOKENS),
                r.get(CALLS.OUTPUT_TOKENS),
                r.get(CALLS.REASONING_TOKENS),
                Money.shown(r.get(CALLS.COST_USD)),
                r.get(CALLS.LATENCY_MS),
                ColumnValues.instant(r.get(CALLS.CREATED_AT)),
                attempts.getOrDefault(r.get(CALLS.ID), List.of()),
                r.get(DECISIONS.UNAPPROVED),
                r.get(CALLS.TRACE_ID)));
    }

    private static RecordedCall.Attempt toAttempt(CallAttemptsRecord a) {
        return new RecordedCall.Attempt(
                a.getAttemptNo(),
                a.getProvider(),
                a.getModel(),
                a.getInputTokens(),
                a.getCachedInputTokens(),
                a.getCacheWriteInputTokens(),
                a.getOutputTokens(),
                a.getReasoningTokens(),
                a.getLatencyMs(),
                CallStatus.valueOf(a.getStatus()),
                a.getErrorClass(),
                Money.shown(a.getCostUsd()));
    }
}
