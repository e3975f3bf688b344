package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_ATTEMPTS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_FEEDBACK;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_SCORES;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;

import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.CallScoresRecord;
import io.aiops.policy.application.port.out.ScoreStore;
import io.aiops.policy.domain.quality.CallScore;
import io.aiops.policy.domain.quality.Feedback;
import io.aiops.policy.domain.quality.ScoreSource;
import io.aiops.policy.domain.quality.ScoreType;
import io.aiops.policy.domain.quality.ScoredCall;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Repository;

/** Scores in the {@code call_scores} table, feedback in {@code call_feedback}. */
@Repository
class JooqScoreStore implements ScoreStore {

    private final DSLContext db;

    JooqScoreStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public void appendOutcomeScores(UUID callId, List<CallScore> scores) {
        append(scores);
        rollUp(callId, null);
    }

    @Override
    public void appendFeedbackScores(Feedback feedback, List<CallScore> scores) {
        append(scores);
        rollUp(feedback.callId(), feedback.id());
    }

    /** The quality rollups, in this transaction: they never disagree with the ledger (V83 states the rule). */
    private void rollUp(UUID callId, UUID feedbackId) {
        db.execute(
                "SELECT quality_rollup(ledger_seq, ledger_seq, {1}) FROM calls WHERE id = {0}",
                DSL.val(callId), DSL.val(feedbackId, SQLDataType.UUID));
    }

    private void append(List<CallScore> scores) {
        if (scores.isEmpty()) {
            return;
        }
        var insert = db.insertInto(
                CALL_SCORES,
                CALL_SCORES.CALL_ID,
                CALL_SCORES.FEEDBACK_ID,
                CALL_SCORES.ATTEMPT_NO,
                CALL_SCORES.NAME,
                CALL_SCORES.SCORE_TYPE,
                CALL_SCORES.VALUE,
                CALL_SCORES.LABEL,
                CALL_SCORES.SOURCE,
                CALL_SCORES.EXPLANATION,
                CALL_SCORES.SCORER_VERSION,
                CALL_SCORES.RECORDED_BY_KEY,
                CALL_SCORES.RECORDED_BY,
                CALL_SCORES.CREATED_AT);
        for (CallScore s : scores) {
            insert = insert.values(
                    s.callId(),
                    s.feedbackId(),
                    s.attemptNo(),
                    s.name(),
                    s.type().name(),
                    s.value(),
                    s.label(),
                    s.source().name(),
                    s.explanation(),
                    s.scorerVersion(),
                    s.recordedByKey(),
                    s.recordedBy(),
                    ColumnValues.utc(s.createdAt()));
        }
        insert.execute();
    }

    @Override
    public Map<UUID, List<CallScore>> scoresOf(Collection<UUID> callIds) {
        if (callIds.isEmpty()) {
            return Map.of();
        }
        return db
                .selectFrom(CALL_SCORES)
                .where(CALL_SCORES.CALL_ID.in(callIds))
                .orderBy(CALL_SCORES.CALL_ID, CALL_SCORES.ID)
                .fetch()
                .stream()
                .collect(Collectors.groupingBy(
                        CallScoresRecord::getCallId, Collectors.mapping(JooqScoreStore::toScore, Collectors.toList())));
    }

    @Override
    public boolean insertFeedbackIfAbsent(Feedback f) {
        return db.insertInto(CALL_FEEDBACK)
                        .set(CALL_FEEDBACK.ID, f.id())
                        .set(CALL_FEEDBACK.CALL_ID, f.callId())
                        .set(CALL_FEEDBACK.IDEMPOTENCY_KEY, f.idempotencyKey())
                        .set(CALL_FEEDBACK.RECORDED_BY_KEY, f.recordedByKey())
                        .set(CALL_FEEDBACK.RECORDED_BY, f.recordedBy())
                        .set(CALL_FEEDBACK.CREATED_AT, ColumnValues.utc(f.createdAt()))
                        .onConflictDoNothing()
                        .execute()
                == 1;
    }

    @Override
    public Optional<Feedback> feedbackByKey(UUID callId, String idempotencyKey) {
        return db.selectFrom(CALL_FEEDBACK)
                .where(CALL_FEEDBACK.CALL_ID.eq(callId).and(CALL_FEEDBACK.IDEMPOTENCY_KEY.eq(idempotencyKey)))
                .fetchOptional(r -> new Feedback(
                        r.getId(),
                        r.getCallId(),
                        r.getIdempotencyKey(),
                        r.getRecordedByKey(),
                        r.getRecordedBy(),
                        ColumnValues.instant(r.getCreatedAt())));
    }

    @Override
    public Optional<ScoredCall> call(UUID callId) {
        return calls(CALLS.ID.eq(callId)).stream().findFirst();
    }

    @Override
    public Optional<ScoredCall> lastCallOf(long processInstanceKey, String elementId) {
        return calls(DECISIONS.PROCESS_INSTANCE_KEY.eq(processInstanceKey).and(DECISIONS.ELEMENT_ID.eq(elementId)))
                .stream()
                .findFirst();
    }

    /** The calls that match, latest first. */
    private List<ScoredCall> calls(Condition condition) {
        Field<Integer> attempts =
                DSL.field(DSL.selectCount().from(CALL_ATTEMPTS).where(CALL_ATTEMPTS.CALL_ID.eq(CALLS.ID)));
        return db.select(
                        CALLS.ID,
                        CALLS.DECISION_ID,
                        DECISIONS.PROJECT,
                        DECISIONS.BPMN_PROCESS_ID,
                        DECISIONS.PROCESS_DEFINITION_KEY,
                        DECISIONS.PROCESS_INSTANCE_KEY,
                        DECISIONS.ELEMENT_ID,
                        DECISIONS.ELEMENT_INSTANCE_KEY,
                        DECISIONS.JOB_KEY,
                        DECISIONS.TASK_KIND,
                        CALLS.PROVIDER,
                        CALLS.MODEL,
                        attempts,
                        CALLS.CREATED_AT)
                .from(CALLS)
                .join(DECISIONS)
                .on(DECISIONS.ID.eq(CALLS.DECISION_ID))
                .where(condition)
                .orderBy(CALLS.CREATED_AT.desc(), CALLS.LEDGER_SEQ.desc())
                .limit(1)
                .fetch(r -> new ScoredCall(
                        r.get(CALLS.ID),
                        r.get(CALLS.DECISION_ID),
                        r.get(DECISIONS.PROJECT),
                        new ProcessCoordinates(
                                r.get(DECISIONS.BPMN_PROCESS_ID),
                                r.get(DECISIONS.PROCESS_DEFINITION_KEY),
                                null,
                                r.get(DECISIONS.PROCESS_INSTANCE_KEY),
                                r.get(DECISIONS.ELEMENT_ID),
                                r.get(DECISIONS.ELEMENT_INSTANCE_KEY),
                                r.get(DECISIONS.JOB_KEY),
                                null),
                        r.get(DECISIONS.TASK_KIND),
                        r.get(CALLS.PROVIDER),
                        r.get(CALLS.MODEL),
                        r.get(attempts),
                        ColumnValues.instant(r.get(CALLS.CREATED_AT))));
    }

    private static CallScore toScore(CallScoresRecord r) {
        return new CallScore(
                r.getCallId(),
                r.getFeedbackId(),
                r.getAttemptNo(),
                r.getName(),
                ScoreType.valueOf(r.getScoreType()),
                r.getValue(),
                r.getLabel(),
                ScoreSource.valueOf(r.getSource()),
                r.getExplanation(),
                r.getScorerVersion(),
                r.getRecordedByKey(),
                r.getRecordedBy(),
                ColumnValues.instant(r.getCreatedAt()));
    }
}
