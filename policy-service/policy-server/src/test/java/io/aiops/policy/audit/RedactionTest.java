package io.aiops.policy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.redaction.PiiKind;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.support.PolicyServerTest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Known personal data in, then the tables read directly: none of it is stored in REDACTED and HASH_ONLY modes. */
class RedactionTest extends PolicyServerTest {

    static final String PROMPT =
            "Customer jane.doe@example.com (phone +49 30 1234 5678) paid with card 4111 1111 1111 1111 from IBAN "
                    + "DE89 3704 0044 0532 0130 00 for order ORD-123456; their key sk-proj-AbCdEf0123456789XyZ leaked.";
    static final String ANSWER = "Refund to DE89 3704 0044 0532 0130 00 and mail jane.doe@example.com about ORD-123456";
    static final List<String> PII = List.of(
            "jane.doe", "example.com", "1234 5678", "4111 1111", "DE89", "0532 0130", "AbCdEf0123456789", "ORD-123456");

    private String project;
    private String model;

    @BeforeEach
    void project() {
        project = unique("pii");
        model = "redacting-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
    }

    /** Reports the raw texts, as a worker that ignores the decision's redaction would. */
    private Decision callWithRawText(String bpmnProcessId) {
        DecisionRequest r = request(project, "classify", 100, 50);
        Decision decision = worker.decide(new DecisionRequest(
                r.idempotencyKey(),
                project,
                bpmnProcessId,
                r.processDefinitionKey(),
                r.processInstanceKey(),
                r.elementId(),
                r.elementInstanceKey(),
                null,
                "classify",
                null,
                100,
                50,
                Map.of()));
        worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", model, 100L, 0L, 0L, 40L, 0L, 30L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        PROMPT,
                        ANSWER));
        return decision;
    }

    /** Every stored row of the project that can hold text, as PostgreSQL prints it. */
    private String everythingStoredFor(String project) {
        return String.join(
                        "\n",
                        db.fetch(
                                        "SELECT c::text FROM calls c JOIN decisions d ON d.id = c.decision_id WHERE d.project = ?",
                                        project)
                                .getValues(0, String.class))
                + String.join(
                        "\n",
                        db.fetch("SELECT d::text FROM decisions d WHERE d.project = ?", project)
                                .getValues(0, String.class))
                + String.join(
                        "\n",
                        db.fetch("SELECT a::text FROM audit_entries a WHERE a.project = ?", project)
                                .getValues(0, String.class));
    }

    @Test
    void redactedModeStoresNoneOfThePersonalDataAndMasksMatchTheWorkers() {
        admin.putRedaction(project, new RedactionSettings(RedactionMode.REDACTED, List.of("ORD-[0-9]{6}")));

        Decision decision = callWithRawText("ticket-triage");

        assertThat(decision.redaction().mode()).isEqualTo(RedactionMode.REDACTED);
        assertThat(decision.redaction().maskKey()).isNotBlank();
        String stored = everythingStoredFor(project);
        assertThat(stored).contains("<EMAIL:", "<PHONE:", "<CARD:", "<IBAN:", "<API_KEY:", "<CUSTOM1:");
        for (String pii : PII) {
            assertThat(stored).doesNotContain(pii);
        }
        // a worker redacting with the decision's key produces exactly what the server stored
        String storedPrompt = db.fetchValue(
                        "SELECT c.request_text FROM calls c JOIN decisions d ON d.id = c.decision_id WHERE d.id = ?",
                        decision.decisionId())
                .toString();
        assertThat(decision.redaction().apply(PROMPT)).isEqualTo(storedPrompt);
        assertThat(viewer.verifyAudit(project).intact()).isTrue();
    }

    @Test
    void hashOnlyModeStoresDigestsAndLengthsOnly() {
        admin.putRedaction(project, new RedactionSettings(RedactionMode.HASH_ONLY, List.of()));

        Decision decision = callWithRawText("ticket-triage");

        assertThat(decision.redaction().mode()).isEqualTo(RedactionMode.HASH_ONLY);
        String stored = everythingStoredFor(project);
        for (String pii : PII) {
            assertThat(stored).doesNotContain(pii);
        }
        Object requestText = db.fetchValue(
                "SELECT c.request_text FROM calls c JOIN decisions d ON d.id = c.decision_id WHERE d.id = ?",
                decision.decisionId());
        assertThat(requestText.toString())
                .matches("\\[sha256=[0-9a-f]{64} chars=" + PROMPT.length() + " utf8Bytes=\\d+]");
    }

    @Test
    void aWorkflowOverrideBeatsTheProjectMode() {
        admin.putRedaction(project, new RedactionSettings(RedactionMode.FULL, List.of()));
        admin.putWorkflowRedaction(project, "kyc-check", new RedactionSettings(RedactionMode.HASH_ONLY, List.of()));

        Decision kyc = callWithRawText("kyc-check");
        Decision triage = callWithRawText("ticket-triage");

        assertThat(kyc.redaction().mode()).isEqualTo(RedactionMode.HASH_ONLY);
        assertThat(triage.redaction().mode()).isEqualTo(RedactionMode.FULL);
        assertThat(triage.redaction().maskKey()).isNull();
        assertThat(db.fetchValue("SELECT c.response_text FROM calls c WHERE c.decision_id = ?", kyc.decisionId())
                        .toString())
                .startsWith("[sha256=");
        assertThat(db.fetchValue("SELECT c.response_text FROM calls c WHERE c.decision_id = ?", triage.decisionId()))
                .isEqualTo(ANSWER);
    }

    @Test
    void aProjectCanNarrowTheKindsItMasks() throws Exception {
        admin.putRedaction(
                project,
                new RedactionSettings(RedactionMode.REDACTED, List.of(), List.of(PiiKind.IBAN, PiiKind.EMAIL)));

        Decision decision = callWithRawText("ticket-triage");

        assertThat(decision.redaction().kinds()).containsExactly("EMAIL", "IBAN");
        String storedPrompt = db.fetchValue(
                        "SELECT c.request_text FROM calls c JOIN decisions d ON d.id = c.decision_id WHERE d.id = ?",
                        decision.decisionId())
                .toString();
        assertThat(storedPrompt)
                .contains("<EMAIL:", "<IBAN:", "+49 30 1234 5678", "4111 1111 1111 1111")
                .doesNotContain("jane.doe", "DE89");
        assertThat(decision.redaction().apply(PROMPT)).isEqualTo(storedPrompt);
        assertThat(admin.getRedaction(project).kinds()).containsExactly(PiiKind.EMAIL, PiiKind.IBAN);

        HttpResponse<String> unknown = sendAsAdmin(
                "PUT",
                "/api/v1/projects/" + project + "/redaction",
                "{\"mode\": \"REDACTED\", \"kinds\": [\"EMAIL\", \"SHOE_SIZE\"]}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(PolicyClient.JSON.readTree(unknown.body()).path("field").asText())
                .isEqualTo("kinds[1]");
        assertThat(admin.getRedaction(project).kinds()).containsExactly(PiiKind.EMAIL, PiiKind.IBAN);
    }

    @Test
    void anInvalidCustomPatternIsRejectedNamingIt() {
        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putRedaction(
                        project, new RedactionSettings(RedactionMode.REDACTED, List.of("ok", "ORD-[0-9"))));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("customPatterns[1]");
    }
}
