package io.aiops.policy.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.JudgeSettings;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LLM-as-judge settings: per project and workflow, a catalog model, readable by the project's workers. */
class JudgeSettingsApiTest extends PolicyServerTest {

    private String project;
    private String judge;

    @BeforeEach
    void catalog() {
        project = unique("judged");
        judge = "judge-" + project;
        routeProjectTo(project, judge, "0.000001", "0.000002");
    }

    private JudgeSettings settings(String rate) {
        return new JudgeSettings(new BigDecimal(rate), "acme", judge, null, "Names the category only.", null, null);
    }

    @Test
    void aWorkflowsOwnJudgeWinsOverItsProjectsAndDefaultsAreFilledIn() {
        JudgeSettings projectWide = admin.putJudge(project, null, settings("0.05"));
        assertThat(projectWide.rubric()).isEqualTo(JudgeSettings.DEFAULT_RUBRIC);
        assertThat(projectWide.scoreName()).isEqualTo("judge_score");
        assertThat(projectWide.maxOutputTokens()).isEqualTo(300);
        admin.putJudge(project, "ticket-triage", settings("0.5"));

        assertThat(worker.effectiveJudge(project, "ticket-triage").sampleRate()).isEqualByComparingTo("0.5");
        assertThat(worker.effectiveJudge(project, "invoices").sampleRate()).isEqualByComparingTo("0.05");
        assertThat(worker.effectiveJudge(project, null).sampleRate()).isEqualByComparingTo("0.05");
        assertThat(status(() -> worker.effectiveJudge(unique("unjudged"), null)))
                .isEqualTo(404);
        assertThat(viewer.verifyAudit(project).intact()).isTrue();
    }

    @Test
    void badSettingsAndForeignKeysAreRefused() {
        assertThat(status(() -> admin.putJudge(project, null, settings("0.12345"))))
                .isEqualTo(400);
        assertThat(status(() -> admin.putJudge(
                        project,
                        null,
                        new JudgeSettings(BigDecimal.ONE, "acme", "no-such-model", null, null, null, null))))
                .isIn(400, 422);
        assertThat(status(() -> worker.putJudge(project, null, settings("0.1"))))
                .isEqualTo(403);
        admin.putJudge(project, null, settings("0.1"));
        PolicyClient foreign = new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest("foreign", ApiRole.WORKER, List.of(unique("other"))))
                        .key());
        assertThat(status(() -> foreign.effectiveJudge(project, null))).isEqualTo(403);
        var tooHigh = catchThrowableOfType(
                PolicyServiceException.class, () -> admin.putJudge(project, null, settings("1.5")));
        assertThat(tooHigh.status()).isEqualTo(400);
    }

    private static int status(Runnable call) {
        PolicyServiceException e = catchThrowableOfType(PolicyServiceException.class, call::run);
        assertThat(e).as("a refusal").isNotNull();
        return e.status();
    }
}
