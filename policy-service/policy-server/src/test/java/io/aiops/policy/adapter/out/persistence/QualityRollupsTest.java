package io.aiops.policy.adapter.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.CallFeedback;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.FeedbackReceipt;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.PromptDefinition;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import io.aiops.policy.api.ScoreType;
import io.aiops.policy.application.port.out.QualityLedger.CallRow;
import io.aiops.policy.application.port.out.QualityLedger.ScoreRow;
import io.aiops.policy.domain.SpendDimension;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The quality rollups are written with each outcome and each feedback and always say what the score ledger says: the
 * quality report read from them (whole hours) equals the report computed call by call from the ledger, for every
 * grouping, with rule checks per attempt, judge grades, people's verdicts (a later one overturning an earlier one),
 * calls with and without prompt versions, and when outcomes and feedback on one hour, element and model race.
 */
class QualityRollupsTest extends PolicyServerTest {

    private static final List<List<SpendDimension>> GROUPINGS = List.of(
            List.of(),
            List.of(SpendDimension.PROJECT),
            List.of(SpendDimension.PROJECT, SpendDimension.MODEL),
            List.of(SpendDimension.WORKFLOW, SpendDimension.MODEL),
            List.of(SpendDimension.ELEMENT, SpendDimension.PROVIDER, SpendDimension.PROMPT),
            List.of(SpendDimension.PROMPT, SpendDimension.DAY),
            List.of(SpendDimension.DAY, SpendDimension.MODEL, SpendDimension.WORKFLOW));

    private String project;
    private String cheap;
    private String strong;
    private JooqQualityLedger ledger;

    @BeforeEach
    void routeToTwoModels() {
        project = unique("qroll");
        cheap = "cheap-" + project;
        strong = "strong-" + project;
        admin.putModel(new ModelPrice(
                "acme",
                cheap,
                new BigDecimal("0.000000123457"),
                new BigDecimal("0.000000987654"),
                null,
                null,
                null,
                null));
        admin.putModel(new ModelPrice(
                "acme", strong, new BigDecimal("0.000003"), new BigDecimal("0.000015"), null, null, null, null));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"),
                project,
                null,
                List.of(
                        new RoutingPolicy.Target("acme", cheap, null),
                        new RoutingPolicy.Target("acme", strong, null))));
        ledger = new JooqQualityLedger(db);
    }

    private static CallOutcome.Attempt attempt(String model, CallStatus status, String errorClass, long tokens) {
        return new CallOutcome.Attempt("acme", model, tokens, 0L, 0L, tokens, 0L, 10L, status, errorClass);
    }

    private static Score check(String name, boolean passed, int attemptNo) {
        return Score.passFail(name, passed, ScoreSource.RULE, null, "2", attemptNo);
    }

    private static Score verdict(String name, boolean passed, ScoreSource source) {
        return Score.passFail(name, passed, source, null, null, null);
    }

    private OutcomeReceipt call(
            List<CallOutcome.Attempt> attempts, List<Score> scores, String prompt, Integer version) {
        Decision decision = worker.decide(request(project, "extract", 100, 100));
        return worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(attempts, Map.of(), "prompt", "answer", scores).withPrompt(prompt, version));
    }

    private FeedbackReceipt feedback(UUID callId, String key, Score... scores) {
        return worker.recordFeedback(CallFeedback.onCall(callId, key, List.of(scores)));
    }

    @Test
    void theRollupsEqualTheLedgerForEveryGroupingAndAfterVerdictsChangeACall() {
        String prompt = unique("classify");
        int v1 = admin.putPrompt(prompt, new PromptDefinition(prompt, project, null, "Classify {{x}}", List.of()))
                .version();
        int v2 = admin.putPrompt(prompt, new PromptDefinition(prompt, project, null, "Sort {{x}}", List.of()))
                .version();
        Instant hour = CLOCK.instant().truncatedTo(ChronoUnit.HOURS);
        CLOCK.advance(Duration.ofMinutes(7));
        // 1: the cheap model's answer passes its checks (prompt v1)
        OutcomeReceipt passing = call(
                List.of(attempt(cheap, CallStatus.SUCCEEDED, null, 1234)),
                List.of(check("not_empty", true, 1), check("schema_valid", true, 1)),
                prompt,
                v1);
        // 2: the cheap answer is turned away by the gate, the strong one passes (no prompt)
        OutcomeReceipt failedOver = call(
                List.of(
                        attempt(cheap, CallStatus.FAILED, "QUALITY_GATE", 99),
                        attempt(strong, CallStatus.SUCCEEDED, null, 77)),
                List.of(check("schema_valid", false, 1), check("schema_valid", true, 2)),
                null,
                null);
        // 3: the cheap answer is used although it fails a check (prompt v2)
        OutcomeReceipt failing = call(
                List.of(attempt(cheap, CallStatus.SUCCEEDED, null, 555)),
                List.of(check("schema_valid", false, 1)),
                prompt,
                v2);
        // 4: every model failed: no answer, no score
        call(List.of(attempt(cheap, CallStatus.FAILED, "HTTP_500", 0)), List.of(), null, null);
        CLOCK.advance(Duration.ofHours(2));
        // 5: two hours later, the strong model's answer passes (prompt v1)
        OutcomeReceipt later = call(
                List.of(attempt(strong, CallStatus.SUCCEEDED, null, 300)),
                List.of(check("not_empty", true, 1)),
                prompt,
                v1);

        // later still, feedback: a judge's grade, a reviewer's acceptance then another reviewer's rejection of call 1
        CLOCK.advance(Duration.ofDays(2));
        feedback(
                passing.callId(),
                "judge:" + passing.callId(),
                new Score(
                        "judge_score",
                        ScoreType.NUMERIC,
                        new BigDecimal("0.75"),
                        null,
                        ScoreSource.JUDGE,
                        null,
                        cheap,
                        null));
        feedback(passing.callId(), "review:1", verdict("reviewer_accepted", true, ScoreSource.HUMAN));
        assertThat(feedback(passing.callId(), "review:1", verdict("reviewer_accepted", true, ScoreSource.HUMAN))
                        .repeated())
                .isTrue();
        CallRow before = total(hour, hour.plus(Duration.ofHours(1)));
        assertThat(before.successfulCalls()).isEqualTo(2);
        assertThat(before.feedbackCalls()).isEqualTo(1);
        assertThat(before.acceptedCalls()).isEqualTo(1);
        feedback(passing.callId(), "review:2", verdict("reviewer_accepted", false, ScoreSource.HUMAN));
        // the downstream step accepts call 2; a category for call 3; call 5 rejected as a whole by a later step
        feedback(failedOver.callId(), "step:2", verdict("invoice_booked", true, ScoreSource.DOWNSTREAM));
        feedback(
                failing.callId(),
                "label:3",
                new Score("tone", ScoreType.CATEGORICAL, null, "curt", ScoreSource.HUMAN, null, null, null));
        feedback(later.callId(), "step:5", verdict("invoice_booked", false, ScoreSource.DOWNSTREAM));

        // the rejection took call 1 back: neither accepted nor successful any more
        CallRow first = total(hour, hour.plus(Duration.ofHours(1)));
        assertThat(first.calls()).isEqualTo(4);
        assertThat(first.succeededCalls()).isEqualTo(3);
        assertThat(first.successfulCalls()).isEqualTo(1);
        assertThat(first.feedbackCalls()).isEqualTo(3);
        assertThat(first.acceptedCalls()).isEqualTo(2);
        CallRow third = total(hour.plus(Duration.ofHours(2)), hour.plus(Duration.ofHours(3)));
        assertThat(third.calls()).isEqualTo(1);
        assertThat(third.successfulCalls()).isZero();
        assertThat(third.acceptedCalls()).isZero();

        assertTheReportsEqualTheLedger(hour.minus(Duration.ofHours(1)), hour.plus(Duration.ofHours(4)));
        // a range that starts and ends inside an hour: whole hours from the rollups, the edges from the ledger
        assertTheReportsEqualTheLedger(hour.minus(Duration.ofMinutes(30)), hour.plus(Duration.ofMinutes(150)));
        assertTheReportsEqualTheLedger(hour.plus(Duration.ofMinutes(5)), hour.plus(Duration.ofMinutes(55)));

        // the migration's backfill (every call with all its scores at once) counts as the writes did, one by one
        List<Record> kept = rollupRows();
        db.transaction(tx -> {
            tx.dsl().execute("DELETE FROM quality_calls_hourly WHERE project = ?", project);
            tx.dsl().execute("DELETE FROM quality_hourly WHERE project = ?", project);
            tx.dsl()
                    .execute(
                            "SELECT quality_rollup(c.ledger_seq, c.ledger_seq, NULL) FROM calls c"
                                    + " JOIN decisions d ON d.id = c.decision_id WHERE d.project = ?",
                            project);
        });
        assertThat(rollupRows()).isEqualTo(kept);
    }

    @Test
    void racingOutcomesAndVerdictsOnOneHourElementAndModelCountExactly() throws Exception {
        CLOCK.advance(Duration.ofMinutes(3));
        Instant hour = CLOCK.instant().truncatedTo(ChronoUnit.HOURS);
        List<Callable<OutcomeReceipt>> outcomes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean passes = i % 2 == 0;
            long tokens = 100 + i;
            outcomes.add(() -> call(
                    List.of(attempt(cheap, CallStatus.SUCCEEDED, null, tokens)),
                    List.of(check("not_empty", true, 1), check("schema_valid", passes, 1)),
                    null,
                    null));
        }
        List<OutcomeReceipt> calls = race(outcomes);
        // two verdicts on every call at once, a pass and a fail: each counts against the other's
        List<Callable<FeedbackReceipt>> verdicts = new ArrayList<>();
        for (OutcomeReceipt c : calls) {
            verdicts.add(() -> feedback(c.callId(), "yes", verdict("reviewer_accepted", true, ScoreSource.HUMAN)));
            verdicts.add(() -> feedback(c.callId(), "no", verdict("reviewer_accepted", false, ScoreSource.HUMAN)));
        }
        race(verdicts);

        CallRow total = total(hour, hour.plus(Duration.ofHours(1)));
        assertThat(total.calls()).isEqualTo(8);
        assertThat(total.succeededCalls()).isEqualTo(8);
        assertThat(total.successfulCalls()).isZero();
        assertThat(total.feedbackCalls()).isEqualTo(8);
        assertThat(total.acceptedCalls()).isZero();
        List<ScoreRow> scores =
                ledger.scores(hour, hour.plus(Duration.ofHours(1)), List.of(SpendDimension.PROJECT), List.of(project));
        ScoreRow accepted = scores.stream()
                .filter(s -> s.name().equals("reviewer_accepted"))
                .findFirst()
                .orElseThrow();
        assertThat(accepted.count()).isEqualTo(16);
        assertThat(accepted.passed()).isEqualTo(8);
        assertTheReportsEqualTheLedger(hour, hour.plus(Duration.ofHours(1)));
    }

    /** The figures of the project's calls in the range, read the way the report reads them. */
    private CallRow total(Instant from, Instant to) {
        List<CallRow> rows = ledger.calls(from, to, List.of(), List.of(project));
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    private void assertTheReportsEqualTheLedger(Instant from, Instant to) {
        for (List<SpendDimension> groupBy : GROUPINGS) {
            List<CallRow> calls = ledger.calls(from, to, groupBy, List.of(project));
            assertThat(calls).as("calls by %s", groupBy).isNotEmpty();
            assertThat(calls)
                    .as("calls by %s", groupBy)
                    .containsExactlyElementsOf(ledger.callsFromLedger(from, to, groupBy, List.of(project)));
            List<ScoreRow> scores = ledger.scores(from, to, groupBy, List.of(project));
            assertThat(scores).as("scores by %s", groupBy).isNotEmpty();
            assertThat(scores)
                    .as("scores by %s", groupBy)
                    .containsExactlyElementsOf(ledger.scoresFromLedger(from, to, groupBy, List.of(project)));
        }
    }

    private List<Record> rollupRows() {
        List<Record> rows = new ArrayList<>(db.fetch(
                "SELECT * FROM quality_calls_hourly WHERE project = ? ORDER BY hour, model, prompt_name,"
                        + " prompt_version",
                project));
        rows.addAll(db.fetch(
                "SELECT * FROM quality_hourly WHERE project = ? ORDER BY hour, model, prompt_name, prompt_version,"
                        + " score_name, source, score_type",
                project));
        return rows;
    }
}
