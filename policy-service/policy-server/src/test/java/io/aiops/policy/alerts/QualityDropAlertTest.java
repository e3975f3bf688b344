package io.aiops.policy.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.PromptDefinition;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import io.aiops.policy.application.port.in.EvaluateAlertsUseCase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** QUALITY_DROP: a score's pass rate in the last window against the 7 days before, with a significance test. */
class QualityDropAlertTest extends AlertTestSupport {

    @Autowired
    EvaluateAlertsUseCase evaluator;

    private String project;
    private String model;

    @BeforeEach
    void route() {
        project = unique("qdrop");
        model = model("scored-" + project);
        routeProjectTo(project, model, "0.001", "0.000001");
    }

    /** {@code passed} answers passing schema_valid and {@code failed} failing it, one call each. */
    private void answers(int passed, int failed) {
        for (int i = 0; i < passed + failed; i++) {
            Decision decision = worker.decide(request(project, "extract", 10, 1));
            worker.reportOutcome(
                    decision.decisionId(),
                    new CallOutcome(
                            List.of(new CallOutcome.Attempt(
                                    "acme", model, 10L, 0L, 0L, 1L, 0L, 5L, CallStatus.SUCCEEDED, null)),
                            Map.of(),
                            "q",
                            "a",
                            List.of(Score.passFail("schema_valid", i < passed, ScoreSource.RULE, null, "1", 1))));
        }
    }

    @Test
    void aSignificantDropAgainstTheBaselineFiresOnceAndAFewFailuresDoNot() {
        AlertRule rule = admin.putAlertRule(
                rule(project, AlertKind.QUALITY_DROP, "window", "PT1H", "scoreName", "schema_valid"));
        assertThat(rule.minCalls()).isEqualTo(20);
        assertThat(rule.thresholdPercent()).isEqualByComparingTo("10");

        // the baseline: two days ago, 48 of 50 answers conform
        answers(48, 2);
        CLOCK.advance(Duration.ofDays(2));
        // the last hour: 3 of 5 fail: too few answers to judge
        answers(2, 3);
        aMinuteLater();
        evaluator.evaluateScheduledRules();
        assertThat(alertsOf(rule.id())).isEmpty();

        // 20 more, 8 failing: 11 of 25 failed (56 % passed against 96 %)
        answers(12, 8);
        aMinuteLater();
        evaluator.evaluateScheduledRules();
        aMinuteLater();
        evaluator.evaluateScheduledRules();

        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).hasSize(1);
        assertThat(fired.getFirst().details())
                .containsEntry("scoreName", "schema_valid")
                .containsEntry("elementId", "classify")
                .containsEntry("model", model)
                .containsEntry("recentScores", "25")
                .containsEntry("recentPassRatePercent", "56.0")
                .containsEntry("baselineScores", "50")
                .containsEntry("baselinePassRatePercent", "96.0");
        assertThat(fired.getFirst().message()).contains("schema_valid passed 56.0 % of 25 answers");
    }

    @Test
    void aPromptVersionThatSendsMoreTokensPerCallFiresOncePerVersion() {
        String prompt = unique("summarise");
        admin.putPrompt(prompt, new PromptDefinition(project, null, "Summarise: {{text}}", List.of()));
        admin.putPrompt(prompt, new PromptDefinition(project, null, "Summarise in detail: {{text}}", List.of()));
        AlertRule rule = admin.putAlertRule(rule(project, AlertKind.PROMPT_COST_JUMP, "minCalls", 3));
        assertThat(rule.thresholdPercent()).isEqualByComparingTo("20");

        prompted(prompt, 1, 100, 3);
        prompted(prompt, 2, 115, 3); // +15 %: within the 20 %
        aMinuteLater();
        evaluator.evaluateScheduledRules();
        assertThat(alertsOf(rule.id())).isEmpty();

        prompted(prompt, 2, 160, 3); // version 2 now averages 137.5 tokens per call: +37.5 %
        aMinuteLater();
        evaluator.evaluateScheduledRules();
        aMinuteLater();
        evaluator.evaluateScheduledRules();

        List<FiredAlert> fired = alertsOf(rule.id());
        assertThat(fired).hasSize(1);
        assertThat(fired.getFirst().details())
                .containsEntry("promptName", prompt)
                .containsEntry("previousVersion", "1")
                .containsEntry("version", "2")
                .containsEntry("inputTokensPerCallBefore", "100.0")
                .containsEntry("inputTokensPerCallAfter", "137.5")
                .containsEntry("risePercent", "37.5");
    }

    /** {@code calls} calls of the prompt version, each sending {@code inputTokens}. */
    private void prompted(String prompt, int version, long inputTokens, int calls) {
        for (int i = 0; i < calls; i++) {
            Decision decision = worker.decide(request(project, "summarise", 10, 1));
            worker.reportOutcome(
                    decision.decisionId(),
                    new CallOutcome(
                                    List.of(new CallOutcome.Attempt(
                                            "acme",
                                            model,
                                            inputTokens,
                                            0L,
                                            0L,
                                            1L,
                                            0L,
                                            5L,
                                            CallStatus.SUCCEEDED,
                                            null)),
                                    Map.of(),
                                    "q",
                                    "a")
                            .withPrompt(prompt, version));
        }
    }

    @Test
    void aRuleAsksOnlyForWhatTheKindReads() {
        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putAlertRule(rule(project, AlertKind.QUALITY_DROP, "thresholdUsd", "1")));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("thresholdUsd");
        PolicyServiceException badWindow = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putAlertRule(rule(project, AlertKind.QUALITY_DROP, "window", "yesterday")));
        assertThat(badWindow.field()).isEqualTo("window");
    }
}
