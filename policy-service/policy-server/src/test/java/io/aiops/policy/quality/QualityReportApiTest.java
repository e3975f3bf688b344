package io.aiops.policy.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.CallFeedback;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.QualityReport;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/quality}: per group the calls, their checks and verdicts, and what a good answer costs. */
class QualityReportApiTest extends PolicyServerTest {

    private String project;
    private String cheap;
    private String strong;

    @BeforeEach
    void routeToTwoModels() {
        project = unique("qreport");
        cheap = "cheap-" + project;
        strong = "strong-" + project;
        admin.putModel(new ModelPrice(
                "acme", cheap, new BigDecimal("0.000001"), new BigDecimal("0.000001"), null, null, null, null));
        admin.putModel(new ModelPrice(
                "acme", strong, new BigDecimal("0.00001"), new BigDecimal("0.00001"), null, null, null, null));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"),
                project,
                null,
                List.of(
                        new RoutingPolicy.Target("acme", cheap, null),
                        new RoutingPolicy.Target("acme", strong, null))));
    }

    private static CallOutcome.Attempt attempt(String model, CallStatus status, String errorClass) {
        return new CallOutcome.Attempt("acme", model, 100L, 0L, 0L, 100L, 0L, 10L, status, errorClass);
    }

    private static Score check(String name, boolean passed, int attemptNo) {
        return Score.passFail(name, passed, ScoreSource.RULE, null, "1", attemptNo);
    }

    private OutcomeReceipt call(List<CallOutcome.Attempt> attempts, List<Score> scores) {
        DecisionRequest request = request(project, "extract", 100, 100);
        Decision decision = worker.decide(request);
        return worker.reportOutcome(
                decision.decisionId(), new CallOutcome(attempts, Map.of(), "prompt", "answer", scores));
    }

    @Test
    void perModelTheChecksOfEachAnswerAndPerElementTheCostOfAGoodAnswer() {
        CLOCK.advance(Duration.ofMinutes(1));
        // 1: the cheap model's answer passes
        call(List.of(attempt(cheap, CallStatus.SUCCEEDED, null)), List.of(check("schema_valid", true, 1)));
        // 2: the cheap model's answer is turned away by the gate, the strong one's passes
        OutcomeReceipt failedOver = call(
                List.of(attempt(cheap, CallStatus.FAILED, "QUALITY_GATE"), attempt(strong, CallStatus.SUCCEEDED, null)),
                List.of(check("schema_valid", false, 1), check("schema_valid", true, 2)));
        // 3: the cheap model's answer is used although it fails a check (no gate)
        call(List.of(attempt(cheap, CallStatus.SUCCEEDED, null)), List.of(check("schema_valid", false, 1)));
        // a reviewer rejects call 2 later
        worker.recordFeedback(CallFeedback.onCall(
                failedOver.callId(),
                "fb:1",
                List.of(Score.passFail("reviewer_accepted", false, ScoreSource.HUMAN, null, null, null))));

        QualityReport byModel = viewer.quality(
                CLOCK.instant().minus(Duration.ofHours(1)).toString(),
                CLOCK.instant().plus(Duration.ofHours(1)).toString(),
                "project,model");
        QualityReport.Group cheapGroup = group(byModel, cheap);
        QualityReport.Group strongGroup = group(byModel, strong);
        QualityReport.ScoreSummary cheapSchema = summary(cheapGroup, "schema_valid");
        assertThat(cheapSchema.count()).isEqualTo(3);
        assertThat(cheapSchema.passed()).isEqualTo(1);
        assertThat(cheapSchema.passRate()).isEqualByComparingTo("0.3333");
        QualityReport.ScoreSummary strongSchema = summary(strongGroup, "schema_valid");
        assertThat(strongSchema.count()).isEqualTo(1);
        assertThat(strongSchema.passRate()).isEqualByComparingTo("1");
        // the feedback is about the call, which the strong model answered
        assertThat(summary(strongGroup, "reviewer_accepted").passRate()).isEqualByComparingTo("0");
        assertThat(cheapGroup.calls()).isEqualTo(2);
        assertThat(strongGroup.calls()).isEqualTo(1);

        QualityReport byElement = viewer.quality(
                CLOCK.instant().minus(Duration.ofHours(1)).toString(),
                CLOCK.instant().plus(Duration.ofHours(1)).toString(),
                "project,element");
        QualityReport.Group element = byElement.groups().stream()
                .filter(g -> project.equals(g.key().get("project")))
                .findFirst()
                .orElseThrow();
        assertThat(element.key()).containsEntry("element", "classify");
        assertThat(element.calls()).isEqualTo(3);
        assertThat(element.succeededCalls()).isEqualTo(3);
        // call 1 passed; call 2's used answer passed the checks but the reviewer rejected it; call 3's failed a check
        assertThat(element.successfulCalls()).isEqualTo(1);
        assertThat(element.feedbackCalls()).isEqualTo(1);
        assertThat(element.acceptedCalls()).isZero();
        // cost: 200 tokens x 0.000001 (calls 1, 3, and call 2's first answer) + 200 x 0.00001 (call 2's second)
        assertThat(element.costUsd()).isEqualByComparingTo("0.0026");
        assertThat(element.costPerSuccessfulCallUsd()).isEqualByComparingTo("0.0026");
    }

    @Test
    void aKeyOfAnotherProjectSeesNoneOfItAndBadParametersAreNamed() {
        call(List.of(attempt(cheap, CallStatus.SUCCEEDED, null)), List.of(check("not_empty", true, 1)));
        String other = unique("other");
        PolicyClient foreignViewer = new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest("foreign-viewer", ApiRole.VIEWER, List.of(other)))
                        .key());

        QualityReport foreign = foreignViewer.quality(
                null, CLOCK.instant().plus(Duration.ofHours(1)).toString(), "project");
        assertThat(foreign.groups()).noneMatch(g -> project.equals(g.key().get("project")));

        List<String> fields = new ArrayList<>();
        for (String[] bad :
                new String[][] {{null, null, "colour"}, {"yesterday", null, null}, {"2026-12-01", "2026-11-01", null}
                }) {
            PolicyServiceException e =
                    catchThrowableOfType(PolicyServiceException.class, () -> viewer.quality(bad[0], bad[1], bad[2]));
            assertThat(e.status()).isEqualTo(400);
            fields.add(e.field());
        }
        assertThat(fields).containsExactly("groupBy", "from", "from");
    }

    private QualityReport.Group group(QualityReport report, String model) {
        return report.groups().stream()
                .filter(g -> project.equals(g.key().get("project"))
                        && model.equals(g.key().get("model")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no group of " + model + " in " + report));
    }

    private static QualityReport.ScoreSummary summary(QualityReport.Group group, String name) {
        return group.scores().stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no score " + name + " in " + group));
    }
}
