package io.aiops.policy.quality;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_FEEDBACK;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALL_SCORES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.CallFeedback;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.FeedbackReceipt;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import io.aiops.policy.api.ScoreType;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Quality scores as the ledger keeps them: the worker's rule checks come with the outcome (per attempt), feedback comes
 * later from a person or a workflow step; both are validated once, stored with the call, shown with it and audited.
 */
class QualityScoresApiTest extends PolicyServerTest {

    private String project;
    private String model;

    @BeforeEach
    void route() {
        project = unique("quality");
        model = "scored-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
    }

    private static Score rule(String name, boolean passed, Integer attemptNo) {
        return Score.passFail(name, passed, ScoreSource.RULE, passed ? null : name + " failed", "1", attemptNo);
    }

    private CallOutcome gatedOutcome(List<Score> scores) {
        return new CallOutcome(
                List.of(
                        new CallOutcome.Attempt(
                                "acme", model, 100L, 0L, 0L, 40L, 0L, 900L, CallStatus.FAILED, "QUALITY_GATE"),
                        new CallOutcome.Attempt(
                                "acme", model, 100L, 0L, 0L, 30L, 0L, 800L, CallStatus.SUCCEEDED, null)),
                Map.of(),
                "Extract the invoice",
                "{\"invoice\":\"INV-1\",\"total\":3}",
                scores);
    }

    private record Recorded(DecisionRequest request, OutcomeReceipt receipt) {}

    private Recorded record(List<Score> scores) {
        DecisionRequest request = request(project, "extract", 100, 100);
        Decision decision = worker.decide(request);
        return new Recorded(request, worker.reportOutcome(decision.decisionId(), gatedOutcome(scores)));
    }

    @Test
    void ruleScoresOfEveryAnswerAreKeptWithTheCallAndItsAuditEntries() {
        Recorded recorded = record(List.of(
                rule("json_valid", true, 1),
                rule("schema_valid", false, 1),
                rule("json_valid", true, 2),
                rule("schema_valid", true, 2)));

        // the turned-away answer is paid for: both attempts are priced
        assertThat(recorded.receipt().costUsd()).isEqualByComparingTo("0.00034");
        CallRecord call = viewer.callsOfProcessInstance(recorded.request().processInstanceKey())
                .getFirst();
        assertThat(call.scores())
                .extracting(Score::name, Score::attemptNo, Score::value, Score::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("json_valid", 1, new BigDecimal("1"), ScoreSource.RULE),
                        org.assertj.core.groups.Tuple.tuple("schema_valid", 1, new BigDecimal("0"), ScoreSource.RULE),
                        org.assertj.core.groups.Tuple.tuple("json_valid", 2, new BigDecimal("1"), ScoreSource.RULE),
                        org.assertj.core.groups.Tuple.tuple("schema_valid", 2, new BigDecimal("1"), ScoreSource.RULE));
        assertThat(call.scores().get(1).explanation()).isEqualTo("schema_valid failed");
        assertThat(call.attempts().getFirst().errorClass()).isEqualTo("QUALITY_GATE");

        List<String> payloads = db.select(AUDIT_ENTRIES.PAYLOAD)
                .from(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.DECISION_ID.eq(db.fetchValue(
                        CALLS.DECISION_ID, CALLS.ID.eq(recorded.receipt().callId()))))
                .orderBy(AUDIT_ENTRIES.SEQ)
                .fetch(r -> r.value1());
        assertThat(payloads).hasSize(2);
        assertThat(payloads.get(0)).contains("\"schema_valid\"").contains("schema_valid failed");
        assertThat(payloads.get(1)).contains("\"schema_valid\"").doesNotContain("schema_valid failed");
        assertThat(viewer.verifyAudit(project).intact()).isTrue();
    }

    @Test
    void scoresThatBreakTheRulesAreRefusedByFieldAndNothingIsRecorded() {
        List<List<Score>> bad = List.of(
                List.of(new Score(
                        "helpful",
                        ScoreType.NUMERIC,
                        new BigDecimal("1.5"),
                        null,
                        ScoreSource.JUDGE,
                        null,
                        null,
                        null)),
                List.of(new Score(
                        "json_valid", ScoreType.BOOLEAN, new BigDecimal("0.5"), null, ScoreSource.RULE, null, "1", 1)),
                List.of(new Score("tone", ScoreType.CATEGORICAL, null, null, ScoreSource.JUDGE, null, null, null)),
                List.of(rule("polite", true, 1)),
                List.of(new Score(
                        "json_valid", ScoreType.NUMERIC, new BigDecimal("0.9"), null, ScoreSource.RULE, null, "1", 1)),
                List.of(rule("json_valid", true, 3)),
                List.of(new Score(
                        "helpful",
                        ScoreType.NUMERIC,
                        new BigDecimal("0.1234567"),
                        null,
                        ScoreSource.JUDGE,
                        null,
                        null,
                        null)),
                List.of(rule("json_valid", true, 1), rule("json_valid", false, 1)));
        List<String> fields = List.of(
                "scores[0].value",
                "scores[0].value",
                "scores[0].label",
                "scores[0].name",
                "scores[0].type",
                "scores[0].attemptNo",
                "scores[0].value",
                "scores[1].name");
        int calls = db.fetchCount(CALLS);
        for (int i = 0; i < bad.size(); i++) {
            DecisionRequest request = request(project, "extract", 100, 100);
            Decision decision = worker.decide(request);
            List<Score> scores = bad.get(i);
            PolicyServiceException e = catchThrowableOfType(
                    PolicyServiceException.class,
                    () -> worker.reportOutcome(decision.decisionId(), gatedOutcome(scores)));
            assertThat(e).as("case %d: %s", i, scores).isNotNull();
            assertThat(e.status()).as("case %d", i).isEqualTo(400);
            assertThat(e.field() != null ? e.field() : e.errors().getFirst().field())
                    .as("case %d: %s", i, e.getMessage())
                    .isEqualTo(fields.get(i));
        }
        assertThat(db.fetchCount(CALLS)).isEqualTo(calls);
    }

    @Test
    void feedbackDaysLaterLandsOnTheCallOnceAndIsAudited() {
        Recorded recorded = record(List.of(rule("json_valid", true, 2)));
        CLOCK.advance(Duration.ofDays(5));
        Score accepted =
                Score.passFail("reviewer_accepted", false, ScoreSource.HUMAN, "total was 30, not 3", null, null);
        Score correction =
                new Score("correction", ScoreType.CATEGORICAL, null, "total", ScoreSource.HUMAN, null, null, null);

        // the verdict is a reviewer's, sent with the worker's key on their behalf
        FeedbackReceipt first = worker.onBehalfOf("Rita Reviewer")
                .recordFeedback(CallFeedback.onElement(
                        recorded.request().processInstanceKey(),
                        "classify",
                        "fb:review-1",
                        List.of(accepted, correction)));
        FeedbackReceipt again = worker.recordFeedback(
                CallFeedback.onCall(recorded.receipt().callId(), "fb:review-1", List.of(accepted, correction)));

        assertThat(first.callId()).isEqualTo(recorded.receipt().callId());
        assertThat(first.scores()).isEqualTo(2);
        assertThat(first.repeated()).isFalse();
        assertThat(first.recordedAt()).isEqualTo(CLOCK.instant());
        assertThat(again.repeated()).isTrue();
        assertThat(again.feedbackId()).isEqualTo(first.feedbackId());
        assertThat(again.scores()).isEqualTo(2);
        assertThat(db.fetchCount(CALL_FEEDBACK, CALL_FEEDBACK.CALL_ID.eq(first.callId())))
                .isEqualTo(1);
        assertThat(db.fetchCount(CALL_SCORES, CALL_SCORES.CALL_ID.eq(first.callId())))
                .isEqualTo(3);

        CallRecord call = viewer.callsOfProcessInstance(recorded.request().processInstanceKey())
                .getFirst();
        assertThat(call.scores())
                .extracting(Score::name, Score::source, Score::label)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("json_valid", ScoreSource.RULE, null),
                        org.assertj.core.groups.Tuple.tuple("reviewer_accepted", ScoreSource.HUMAN, null),
                        org.assertj.core.groups.Tuple.tuple("correction", ScoreSource.HUMAN, "total"));
        String audited = db.select(AUDIT_ENTRIES.PAYLOAD)
                .from(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.PROJECT.eq(project).and(AUDIT_ENTRIES.KIND.eq("CALL_FEEDBACK")))
                .fetchSingle(r -> r.value1());
        assertThat(audited)
                .contains(first.feedbackId().toString())
                .contains("total was 30, not 3")
                .contains("\"onBehalfOf\":\"Rita Reviewer\"");
        assertThat(viewer.verifyAudit(project).intact()).isTrue();
    }

    @Test
    void feedbackForAnUnknownOrForeignCallOrWithoutAClearAddressIsRefused() {
        Recorded recorded = record(List.of());
        List<Score> verdict = List.of(Score.passFail("accepted", true, ScoreSource.HUMAN, null, null, null));
        String otherProject = unique("other");
        PolicyClient foreign = new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest("foreign-worker", ApiRole.WORKER, List.of(otherProject)))
                        .key());

        assertThat(status(() -> worker.recordFeedback(CallFeedback.onCall(java.util.UUID.randomUUID(), null, verdict))))
                .isEqualTo(404);
        assertThat(status(() -> worker.recordFeedback(CallFeedback.onElement(
                        recorded.request().processInstanceKey(), "no_such_task", null, verdict))))
                .isEqualTo(404);
        assertThat(status(() -> foreign.recordFeedback(
                        CallFeedback.onCall(recorded.receipt().callId(), null, verdict))))
                .isEqualTo(403);
        assertThat(status(() -> viewer.recordFeedback(
                        CallFeedback.onCall(recorded.receipt().callId(), null, verdict))))
                .isEqualTo(403);
        assertThat(status(() -> worker.recordFeedback(new CallFeedback(
                        recorded.receipt().callId(),
                        recorded.request().processInstanceKey(),
                        "classify",
                        null,
                        verdict))))
                .isEqualTo(400);
        assertThat(status(() -> worker.recordFeedback(CallFeedback.onCall(
                        recorded.receipt().callId(), null, List.of(rule("json_valid", true, null))))))
                .isEqualTo(400);
        assertThat(status(() -> worker.recordFeedback(
                        CallFeedback.onCall(recorded.receipt().callId(), null, List.of()))))
                .isEqualTo(400);
        assertThat(db.fetchCount(
                        CALL_FEEDBACK,
                        CALL_FEEDBACK.CALL_ID.eq(recorded.receipt().callId())))
                .isZero();
        assertThat(db.fetchCount(
                        CALL_SCORES, CALL_SCORES.CALL_ID.eq(recorded.receipt().callId())))
                .isZero();
    }

    private static int status(Runnable call) {
        PolicyServiceException e = catchThrowableOfType(PolicyServiceException.class, call::run);
        assertThat(e).as("a refusal").isNotNull();
        return e.status();
    }
}
