package io.aiops.policy.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.PromptDefinition;
import io.aiops.policy.api.PromptVersion;
import io.aiops.policy.api.QualityReport;
import io.aiops.policy.api.SpendReport;
import io.aiops.policy.support.PolicyServerTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The prompt registry: immutable versions, moving labels, calls recorded and reported per prompt version. */
class PromptRegistryApiTest extends PolicyServerTest {

    private String project;
    private String name;

    @BeforeEach
    void names() {
        project = unique("prompts");
        name = unique("classify-ticket");
        routeProjectTo(project, "prompted-" + project, "0.000001", "0.000002");
    }

    private PromptDefinition definition(String template, String... labels) {
        return new PromptDefinition(project, "You triage tickets.", template, List.of(labels));
    }

    @Test
    void aChangedPromptIsANewVersionAndTheSamePromptIsNot() throws Exception {
        PromptVersion v1 = admin.putPrompt(name, definition("Classify: {{subject}}\n{{ body }}", "production"));
        PromptVersion same = admin.putPrompt(name, definition("Classify: {{subject}}\n{{ body }}"));
        PromptVersion v2 = admin.putPrompt(name, definition("Classify into one of: billing, technical.\n{{body}}"));

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.variables()).containsExactly("subject", "body");
        assertThat(v1.labels()).containsExactly("production");
        assertThat(same.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.labels()).isEmpty();
        assertThat(worker.prompt(name).version()).isEqualTo(2);
        assertThat(worker.prompt(name + "@production").version()).isEqualTo(1);
        assertThat(worker.prompt(name + "@1").template()).isEqualTo("Classify: {{subject}}\n{{ body }}");

        admin.putPromptLabel(name, "production", 2);
        assertThat(worker.prompt(name + "@production").version()).isEqualTo(2);
        assertThat(admin.promptVersions(name))
                .extracting(PromptVersion::version, PromptVersion::labels)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, List.of()),
                        org.assertj.core.groups.Tuple.tuple(2, List.of("production")));
        assertThat(viewer.verifyAudit(project).intact()).isTrue();

        // a version is never edited, a prompt never moves to another project
        var edit = sendAsAdmin("PUT", "/api/v1/prompts/" + name + "/versions/1", "{\"template\":\"changed\"}");
        assertThat(edit.statusCode()).isEqualTo(409);
        assertThat(edit.body()).contains("immutable");
        assertThat(worker.prompt(name + "@1").template()).isEqualTo("Classify: {{subject}}\n{{ body }}");
        assertThat(status(() -> admin.putPrompt(
                        name, new PromptDefinition(unique("elsewhere"), null, "Classify {{body}}", List.of()))))
                .isEqualTo(409);
    }

    @Test
    void oddTextIsKeptExactlyAndUnknownPromptsAndRolesAreRefused() {
        String odd = "Answer \u0000 exactly: {{text}} \uD800 end";
        PromptVersion stored = admin.putPrompt(name, definition(odd));
        assertThat(worker.prompt(name + "@" + stored.version()).template()).isEqualTo(odd);

        assertThat(status(() -> worker.prompt(unique("missing")))).isEqualTo(404);
        assertThat(status(() -> worker.prompt(name + "@7"))).isEqualTo(404);
        assertThat(status(() -> worker.prompt(name + "@staging"))).isEqualTo(404);
        assertThat(status(() -> worker.putPrompt(name, definition("x")))).isEqualTo(403);
        assertThat(status(() -> admin.putPrompt(name, new PromptDefinition(project, null, " ", List.of()))))
                .isEqualTo(400);
    }

    @Test
    void callsRecordTheirPromptVersionAndReportsGroupByIt() {
        PromptVersion v1 = admin.putPrompt(name, definition("Classify: {{body}}"));
        PromptVersion v2 = admin.putPrompt(name, definition("Classify briefly: {{body}}"));
        CLOCK.advance(Duration.ofMinutes(1));
        record(v1, 100);
        record(v2, 300);
        record(v2, 300);
        Decision unprompted = worker.decide(request(project, "classify", 10, 10));
        worker.reportOutcome(unprompted.decisionId(), outcome(50));

        String from = CLOCK.instant().minus(Duration.ofHours(1)).toString();
        String to = CLOCK.instant().plus(Duration.ofHours(1)).toString();
        SpendReport spend = viewer.spend(from, to, "project,prompt", List.of());
        Map<String, Long> inputByPrompt = new java.util.HashMap<>();
        spend.groups().stream()
                .filter(g -> project.equals(g.key().get("project")))
                .forEach(g -> inputByPrompt.put(g.key().get("prompt"), g.inputTokens()));
        assertThat(inputByPrompt)
                .containsEntry(v1.ref(), 100L)
                .containsEntry(v2.ref(), 600L)
                .containsEntry(null, 50L);
        // calls built from no registered prompt group under null
        assertThat(spend.groups()).allSatisfy(g -> assertThat(g.key()).containsKey("prompt"));
        QualityReport quality = viewer.quality(from, to, "project,prompt");
        assertThat(quality.groups().stream()
                        .filter(g -> project.equals(g.key().get("project")))
                        .map(g -> g.key().get("prompt") + "=" + g.calls()))
                .containsExactlyInAnyOrder(v1.ref() + "=1", v2.ref() + "=2", "null=1");

        Decision decision = worker.decide(request(project, "classify", 10, 10));
        assertThat(status(() ->
                        worker.reportOutcome(decision.decisionId(), outcome(100).withPrompt(name, 9))))
                .isEqualTo(400);
        String foreign = unique("foreign-prompt");
        admin.putPrompt(foreign, new PromptDefinition(unique("other"), null, "Hi {{x}}", List.of()));
        assertThat(status(() ->
                        worker.reportOutcome(decision.decisionId(), outcome(100).withPrompt(foreign, 1))))
                .isEqualTo(400);
    }

    private void record(PromptVersion prompt, long inputTokens) {
        Decision decision = worker.decide(request(project, "classify", 10, 10));
        worker.reportOutcome(decision.decisionId(), outcome(inputTokens).withPrompt(prompt.name(), prompt.version()));
    }

    private CallOutcome outcome(long inputTokens) {
        return new CallOutcome(
                List.of(new CallOutcome.Attempt(
                        "acme", "prompted-" + project, inputTokens, 0L, 0L, 5L, 0L, 10L, CallStatus.SUCCEEDED, null)),
                Map.of(),
                "q",
                "a");
    }

    private static int status(Runnable call) {
        PolicyServiceException e = catchThrowableOfType(PolicyServiceException.class, call::run);
        assertThat(e).as("a refusal").isNotNull();
        return e.status();
    }
}
