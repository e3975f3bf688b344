package io.aiops.policy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.AuditAnchor;
import io.aiops.policy.api.AuditVerification;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.support.PolicyServerTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The threat anchoring closes: the database's owner rewrites a project's whole chain and its head so that every link
 * checks out. Only the chain heads published outside the database before the rewrite can tell.
 */
class AuditAnchorTest extends PolicyServerTest {

    private String project;
    private String model;

    @BeforeEach
    void chainOfSevenEntries() {
        project = unique("anchored");
        model = "anchored-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
        calls(3);
    }

    /** Each call appends two attempt entries. */
    private void calls(int n) {
        for (int i = 0; i < n; i++) {
            Decision decision = worker.decide(request(project, "classify", 100, 50));
            worker.reportOutcome(
                    decision.decisionId(),
                    new CallOutcome(
                            List.of(
                                    new CallOutcome.Attempt(
                                            "acme", model, 100L, 0L, 0L, 0L, 0L, 20L, CallStatus.FAILED, "TIMEOUT"),
                                    new CallOutcome.Attempt(
                                            "acme", model, 100L, 0L, 0L, 40L, 0L, 30L, CallStatus.SUCCEEDED, null)),
                            Map.of(),
                            "q",
                            "a"));
        }
    }

    /** As the database's owner: the project's entries and head are gone; what the service appends next starts over. */
    private void rewriteTheWholeChain() {
        OWNER.transaction(tx -> {
            tx.dsl().execute("SET LOCAL session_replication_role = replica");
            tx.dsl().execute("DELETE FROM audit_entries WHERE project = ?", project);
            tx.dsl().execute("DELETE FROM audit_chain_heads WHERE project = ?", project);
        });
        calls(4);
    }

    private AuditAnchor publishedAnchor() {
        return admin.publishAuditAnchors().stream()
                .filter(a -> a.project().equals(project))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aConsistentRewriteOfTheChainAndItsHeadContradictsThePublishedAnchor() throws Exception {
        AuditAnchor anchor = publishedAnchor();
        assertThat(anchor.seq()).isEqualTo(7);
        Path file = ANCHOR_DIRECTORY.resolve(URLEncoder.encode(project, StandardCharsets.UTF_8) + ".jsonl");
        assertThat(Files.readString(file)).contains("\"seq\":7", anchor.hash(), anchor.signature());
        assertThat(viewer.verifyAudit(project).intact()).isTrue();

        rewriteTheWholeChain();

        AuditVerification after = viewer.verifyAudit(project);
        assertThat(after.intact()).isFalse();
        assertThat(after.brokenSeq()).isEqualTo(7);
        assertThat(after.problem())
                .contains("differs from the anchor published at " + anchor.anchoredAt(), "rewritten");
    }

    @Test
    void anchorsKeptElsewhereAreCheckedAndAForgedOneIsNamed() throws Exception {
        AuditAnchor anchor = publishedAnchor();
        Files.delete(ANCHOR_DIRECTORY.resolve(URLEncoder.encode(project, StandardCharsets.UTF_8) + ".jsonl"));
        rewriteTheWholeChain();
        // without anchors, nothing in the database gives the rewrite away
        assertThat(viewer.verifyAudit(project).intact()).isTrue();

        AuditVerification withKept = viewer.verifyAudit(project, List.of(anchor));
        AuditAnchor forged = new AuditAnchor(
                project,
                anchor.seq(),
                viewer.verifyAudit(project).lastHash(),
                anchor.anchoredAt(),
                anchor.keyId(),
                anchor.signature());
        AuditVerification withForged = viewer.verifyAudit(project, List.of(forged));

        assertThat(withKept.intact()).isFalse();
        assertThat(withKept.brokenSeq()).isEqualTo(7);
        assertThat(withForged.intact()).isFalse();
        assertThat(withForged.problem()).contains("does not carry this service's signature");
    }

    @Test
    void aChainShortenedBelowItsAnchorIsNamed() {
        publishedAnchor();
        OWNER.transaction(tx -> {
            tx.dsl().execute("SET LOCAL session_replication_role = replica");
            tx.dsl().execute("DELETE FROM audit_entries WHERE project = ? AND seq > 5", project);
            tx.dsl()
                    .execute(
                            "UPDATE audit_chain_heads SET last_seq = 5, last_hash = (SELECT entry_hash FROM audit_entries"
                                    + " WHERE project = ? AND seq = 5) WHERE project = ?",
                            project,
                            project);
        });

        AuditVerification after = viewer.verifyAudit(project);

        assertThat(after.intact()).isFalse();
        assertThat(after.brokenSeq()).isEqualTo(6);
        assertThat(after.problem()).contains("records 7 entries");
    }

    @Test
    void aTornLineIsSkippedAndAnUnreadableStoreIsNotTakenForIntact() throws Exception {
        publishedAnchor();
        Path file = ANCHOR_DIRECTORY.resolve(URLEncoder.encode(project, StandardCharsets.UTF_8) + ".jsonl");
        Files.writeString(file, "{\"project\": \"torn", StandardOpenOption.APPEND);
        assertThat(viewer.verifyAudit(project).intact()).isTrue();

        Files.delete(file);
        Files.createDirectory(file);
        try {
            AuditVerification unreadable = viewer.verifyAudit(project);
            assertThat(unreadable.intact()).isFalse();
            assertThat(unreadable.problem()).contains("could not be read");
        } finally {
            Files.delete(file);
        }
    }
}
