package io.aiops.policy.audit;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_CHAIN_HEADS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.adapter.in.schedule.AuditChainHealth;
import io.aiops.policy.api.AuditVerification;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.support.PolicyServerTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;

/**
 * The audit chain of a project: written with every outcome and policy change, refused UPDATE/DELETE by the database,
 * and every kind of tampering (done as an attacker with table rights would, triggers off) named at the exact entry.
 */
class AuditTrailTest extends PolicyServerTest {

    @Autowired
    AuditChainHealth chainHealth;

    private String project;
    private String model;

    /** Chain of the project: entry 1 is the routing policy, then two attempts per call (3 calls: entries 2..7). */
    @BeforeEach
    void chainOfSevenEntries() {
        project = unique("audit");
        model = "audited-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
        for (int i = 0; i < 3; i++) {
            call(request(project, "classify", 100, 50));
        }
        assertThat(db.fetchCount(AUDIT_ENTRIES, AUDIT_ENTRIES.PROJECT.eq(project)))
                .isEqualTo(7);
    }

    private Decision call(DecisionRequest request) {
        Decision decision = worker.decide(request);
        worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(
                                new CallOutcome.Attempt(
                                        "acme", model, 100L, 0L, 0L, 0L, 0L, 20L, CallStatus.FAILED, "TIMEOUT"),
                                new CallOutcome.Attempt(
                                        "acme", model, 100L, 0L, 0L, 40L, 0L, 30L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        "Classify: printer on fire",
                        "hardware"));
        return decision;
    }

    /** Runs SQL as an attacker who can bypass triggers (session_replication_role needs table owner/superuser). */
    private void tamper(String... statements) {
        OWNER.transaction(tx -> {
            tx.dsl().execute("SET LOCAL session_replication_role = replica");
            for (String statement : statements) {
                tx.dsl().execute(statement.replace("$P", "'" + project + "'"));
            }
        });
    }

    private AuditVerification verify() {
        return viewer.verifyAudit(project);
    }

    @Test
    void untouchedChainVerifiesAndEndsAtTheChainHead() {
        AuditVerification v = verify();

        assertThat(v.intact()).isTrue();
        assertThat(v.entriesChecked()).isEqualTo(7);
        assertThat(v.lastSeq()).isEqualTo(7);
        assertThat(v.brokenSeq()).isNull();
        assertThat(v.lastHash())
                .isEqualTo(db.fetchValue(AUDIT_CHAIN_HEADS.LAST_HASH, AUDIT_CHAIN_HEADS.PROJECT.eq(project)))
                .isEqualTo(db.fetchValue(
                        AUDIT_ENTRIES.ENTRY_HASH,
                        AUDIT_ENTRIES.PROJECT.eq(project).and(AUDIT_ENTRIES.SEQ.eq(7L))));
    }

    @Test
    void eachAttemptIsLinkedToItsProcessElementDecisionAndModel() {
        DecisionRequest request = new DecisionRequest(
                "ei:" + nextKey() + ":1",
                project,
                "ticket-triage",
                42L,
                nextKey(),
                "classify",
                nextKey(),
                777L,
                "classify",
                null,
                100,
                50,
                Map.of());
        Decision decision = call(request);

        var rows = db.selectFrom(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.DECISION_ID.eq(decision.decisionId()))
                .orderBy(AUDIT_ENTRIES.SEQ)
                .fetch();
        assertThat(rows).hasSize(2);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.getKind()).isEqualTo("AI_CALL_ATTEMPT");
            assertThat(r.getProcessInstanceKey()).isEqualTo(request.processInstanceKey());
            assertThat(r.getBpmnProcessId()).isEqualTo("ticket-triage");
            assertThat(r.getElementId()).isEqualTo("classify");
            assertThat(r.getElementInstanceKey()).isEqualTo(request.elementInstanceKey());
            assertThat(r.getJobKey()).isEqualTo(777L);
            assertThat(r.getProvider()).isEqualTo("acme");
            assertThat(r.getModel()).isEqualTo(model);
            assertThat(r.getActorName()).isEqualTo("worker");
        });
        assertThat(rows.get(0).getPayload()).contains("\"status\":\"FAILED\"", "\"errorClass\":\"TIMEOUT\"");
        // the last attempt carries the call: exact decimal cost as a string, and the texts
        assertThat(rows.get(1).getPayload())
                .contains(
                        "\"costUsd\":\"0.000180000000\"",
                        "\"callCostUsd\":\"0.000280000000\"",
                        "\"responseText\":\"hardware\"");
        assertThat(rows.get(1).getPrevHash()).isEqualTo(rows.get(0).getEntryHash());
    }

    private io.aiops.policy.adapter.out.persistence.jooq.tables.records.AuditEntriesRecord lastPolicyChange() {
        return db.selectFrom(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.PROJECT.eq(project).and(AUDIT_ENTRIES.KIND.eq("POLICY_CHANGE")))
                .orderBy(AUDIT_ENTRIES.SEQ.desc())
                .limit(1)
                .fetchSingle();
    }

    @Test
    void policyChangeRecordsWhoAndBeforeAndAfter() throws Exception {
        String budgetId = budget(project, "10", BudgetDefinition.BudgetMode.HARD);
        admin.putBudget(new BudgetDefinition(
                budgetId,
                new BudgetDefinition.BudgetScope(project, null),
                BudgetDefinition.BudgetPeriod.DAY,
                new java.math.BigDecimal("25.5"),
                BudgetDefinition.BudgetMode.SOFT));

        var change = lastPolicyChange();
        assertThat(change.getActorName()).isEqualTo("bootstrap-admin");
        assertThat(change.getActorKeyId()).isNotNull();
        JsonNode payload = PolicyClient.JSON.readTree(change.getPayload());
        assertThat(payload.path("subject").asText()).isEqualTo("budget");
        assertThat(payload.path("id").asText()).isEqualTo(budgetId);
        assertThat(payload.path("before").path("limitUsd").asText()).isEqualTo("10");
        assertThat(payload.path("before").path("mode").asText()).isEqualTo("HARD");
        assertThat(payload.path("after").path("limitUsd").asText()).isEqualTo("25.5");
        assertThat(payload.path("after").path("mode").asText()).isEqualTo("SOFT");
        assertThat(verify().intact()).isTrue();
    }

    @Test
    void aChangeMadeOnBehalfOfAPersonNamesThemNextToTheKey() throws Exception {
        String budgetId = budget(project, "10", BudgetDefinition.BudgetMode.HARD);
        BudgetDefinition raised = new BudgetDefinition(
                budgetId,
                new BudgetDefinition.BudgetScope(project, null),
                BudgetDefinition.BudgetPeriod.DAY,
                new java.math.BigDecimal("12"),
                BudgetDefinition.BudgetMode.HARD);

        admin.onBehalfOf("  Zoë O'Brien-Łukasz  ").putBudget(raised);

        var change = lastPolicyChange();
        assertThat(change.getActorName()).isEqualTo("bootstrap-admin");
        JsonNode payload = PolicyClient.JSON.readTree(change.getPayload());
        assertThat(payload.path("onBehalfOf").asText()).isEqualTo("Zoë O'Brien-Łukasz");
        assertThat(payload.path("after").path("limitUsd").asText()).isEqualTo("12");
        assertThat(verify().intact()).isTrue();
    }

    @Test
    void aMalformedOnBehalfOfHeaderIsRefusedAndNothingChanges() throws Exception {
        String budgetId = budget(project, "10", BudgetDefinition.BudgetMode.HARD);
        String body = "{\"id\":\"" + budgetId + "\",\"scope\":{\"project\":\"" + project
                + "\"},\"period\":\"DAY\",\"limitUsd\":99,\"mode\":\"HARD\"}";
        // a direction override (U+202E) or a zero-width space (U+200B) would make one name look like another
        for (String header :
                List.of("%ZZ", "%C3", "%00nul", "  ", "%F0%9F", "x".repeat(201), "Ann%E2%80%AEeb", "A%E2%80%8Bnn")) {
            var response = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(baseUri().resolve("/api/v1/budgets/" + budgetId))
                                    .header("Authorization", "Bearer " + ADMIN_KEY)
                                    .header("Content-Type", "application/json")
                                    .header(PolicyClient.ON_BEHALF_OF_HEADER, header)
                                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(header).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = PolicyClient.JSON.readTree(response.body());
            assertThat(problem.path("field").asText()).isEqualTo(PolicyClient.ON_BEHALF_OF_HEADER);
        }
        // and it names one person: given twice, it is refused
        var twice = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(baseUri().resolve("/api/v1/budgets/" + budgetId))
                                .header("Authorization", "Bearer " + ADMIN_KEY)
                                .header("Content-Type", "application/json")
                                .header(PolicyClient.ON_BEHALF_OF_HEADER, "Ann")
                                .header(PolicyClient.ON_BEHALF_OF_HEADER, "Bob")
                                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("once");
        assertThat(viewer.getBudget(budgetId).budget().limitUsd()).isEqualByComparingTo("10");
    }

    @Test
    void databaseRefusesUpdateDeleteAndTruncateEvenToItsOwner() {
        assertThatThrownBy(() -> OWNER.execute("UPDATE audit_entries SET model = 'other' WHERE project = ?", project))
                .rootCause()
                .hasMessageContaining("append-only: UPDATE refused");
        assertThatThrownBy(() -> OWNER.execute(
                        "UPDATE audit_entries SET payload = NULL, purged_at = now() WHERE project = ?", project))
                .rootCause()
                .hasMessageContaining("append-only: UPDATE refused");
        assertThatThrownBy(() -> OWNER.execute("DELETE FROM audit_entries WHERE project = ?", project))
                .rootCause()
                .hasMessageContaining("append-only: DELETE refused");
        assertThatThrownBy(() -> OWNER.execute("TRUNCATE audit_entries"))
                .rootCause()
                .hasMessageContaining("append-only: TRUNCATE refused");
        assertThat(db.fetchCount(AUDIT_ENTRIES, AUDIT_ENTRIES.PROJECT.eq(project)))
                .isEqualTo(7);
        assertThat(verify().intact()).isTrue();
    }

    @Test
    void oneChangedPayloadByteIsNamed() {
        tamper(
                "UPDATE audit_entries SET payload = overlay(payload placing '9' from position('\"latencyMs\":' in payload) + 12"
                        + " for 1) WHERE project = $P AND seq = 4");

        AuditVerification v = verify();

        assertThat(v.intact()).isFalse();
        assertThat(v.brokenSeq()).isEqualTo(4);
        assertThat(v.brokenEntryId()).isEqualTo(idOf(4));
        assertThat(v.problem()).contains("payload does not match");
    }

    @Test
    void aChangedFieldOfTheEntryIsNamed() {
        tamper("UPDATE audit_entries SET model = 'cheaper-model' WHERE project = $P AND seq = 5");

        AuditVerification v = verify();

        assertThat(v.brokenSeq()).isEqualTo(5);
        assertThat(v.problem()).contains("entry hash does not match");
    }

    @Test
    void aDeletedEntryIsNamed() {
        tamper("DELETE FROM audit_entries WHERE project = $P AND seq = 3");

        AuditVerification v = verify();

        assertThat(v.intact()).isFalse();
        assertThat(v.brokenSeq()).isEqualTo(3);
        assertThat(v.problem()).contains("entry 3 is missing");
    }

    @Test
    void twoReorderedEntriesAreNamedAtTheFirstMovedOne() {
        tamper(
                "UPDATE audit_entries SET seq = 1000000 WHERE project = $P AND seq = 3",
                "UPDATE audit_entries SET seq = 3 WHERE project = $P AND seq = 5",
                "UPDATE audit_entries SET seq = 5 WHERE project = $P AND seq = 1000000");

        AuditVerification v = verify();

        assertThat(v.brokenSeq()).isEqualTo(3);
        assertThat(v.problem()).contains("previous hash");
    }

    @Test
    void aTruncatedTailIsNamedFromTheChainHead() {
        tamper("DELETE FROM audit_entries WHERE project = $P AND seq >= 6");

        AuditVerification v = verify();

        assertThat(v.intact()).isFalse();
        assertThat(v.brokenSeq()).isEqualTo(6);
        assertThat(v.entriesChecked()).isEqualTo(5);
        assertThat(v.problem()).contains("entries 6..7 are missing", "chain head records 7");
    }

    @Test
    void aPayloadRemovedOutsideThePurgeIsNamed() {
        tamper("UPDATE audit_entries SET payload = NULL, purged_at = now() WHERE project = $P AND seq = 2");

        AuditVerification v = verify();

        assertThat(v.brokenSeq()).isEqualTo(2);
        assertThat(v.problem()).contains("without a retention purge record");
    }

    @Test
    void scheduledVerificationTurnsHealthDownNamingTheProjectAndEntry() {
        assertThat(chainHealth.verifyAll()).noneMatch(v -> v.project().equals(project));

        tamper("UPDATE audit_entries SET actor_name = 'someone-else' WHERE project = $P AND seq = 2");
        var broken = chainHealth.verifyAll();

        assertThat(broken).anySatisfy(v -> {
            assertThat(v.project()).isEqualTo(project);
            assertThat(v.brokenSeq()).isEqualTo(2);
        });
        assertThat(chainHealth.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(chainHealth.health().getDetails().get("broken").toString()).contains(project, "entry 2");
    }

    @Test
    void verifyOfAProjectWithoutEntriesIsIntactAndEmpty() {
        AuditVerification v = viewer.verifyAudit(unique("empty"));
        assertThat(v.intact()).isTrue();
        assertThat(v.entriesChecked()).isZero();
    }

    private UUID idOf(long seq) {
        return db.fetchValue(AUDIT_ENTRIES.ID, AUDIT_ENTRIES.PROJECT.eq(project).and(AUDIT_ENTRIES.SEQ.eq(seq)));
    }
}
