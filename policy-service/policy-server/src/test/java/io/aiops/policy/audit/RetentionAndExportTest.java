package io.aiops.policy.audit;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.AuditVerification;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.RetentionSettings;
import io.aiops.policy.application.port.in.AuditUseCase;
import io.aiops.policy.support.PolicyServerTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Retention removes old text and audit payloads and records that it did, and the chain still verifies; an export
 * re-verifies offline with the procedure of docs/audit.md (scripts/verify-audit-export.py), and a changed export
 * does not.
 */
class RetentionAndExportTest extends PolicyServerTest {

    private static final Path VERIFIER =
            Path.of("../../scripts/verify-audit-export.py").toAbsolutePath().normalize();

    @Autowired
    AuditUseCase audit;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private String project;
    private String model;

    @BeforeEach
    void project() {
        project = unique("retain");
        model = "retained-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
    }

    private Decision call(String prompt) {
        Decision decision = worker.decide(request(project, "classify", 100, 50));
        worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "acme", model, 100L, 0L, 0L, 40L, 0L, 30L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        prompt,
                        "answer to " + prompt));
        return decision;
    }

    @Test
    void purgeRemovesPayloadsPastRetentionLeavesTombstonesAndTheChainVerifies() throws Exception {
        Decision old = call("old prompt"); // entries 1 (policy), 2
        admin.putRetention(project, new RetentionSettings(1)); // entry 3
        CLOCK.advance(Duration.ofDays(1).plusHours(1));
        Decision recent = call("recent prompt"); // entry 4

        audit.purgeExpired();

        var rows = db.selectFrom(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.PROJECT.eq(project))
                .orderBy(AUDIT_ENTRIES.SEQ)
                .fetch();
        assertThat(rows).hasSize(5);
        assertThat(rows.subList(0, 3)).allSatisfy(r -> {
            assertThat(r.getPayload()).isNull();
            assertThat(r.getPurgedAt()).isNotNull();
            assertThat(r.getPayloadSha256()).hasSize(64);
        });
        assertThat(rows.get(3).getPayload()).contains("recent prompt");
        var purge = rows.get(4);
        assertThat(purge.getKind()).isEqualTo("RETENTION_PURGE");
        assertThat(purge.getActorName()).isEqualTo("system");
        JsonNode record = PolicyClient.JSON.readTree(purge.getPayload());
        assertThat(record.path("purgedThroughSeq").asLong()).isEqualTo(3);
        assertThat(record.path("auditPayloadsRemoved").asInt()).isEqualTo(3);
        assertThat(record.path("callTextsRemoved").asInt()).isEqualTo(1);
        assertThat(db.fetchValue(CALLS.REQUEST_TEXT, CALLS.DECISION_ID.eq(old.decisionId())))
                .isNull();
        assertThat(db.fetchValue(CALLS.RESPONSE_TEXT, CALLS.DECISION_ID.eq(old.decisionId())))
                .isNull();
        assertThat(db.fetchValue(CALLS.REQUEST_TEXT, CALLS.DECISION_ID.eq(recent.decisionId())))
                .isEqualTo("recent prompt");
        assertThat(viewer.verifyAudit(project).intact()).isTrue();

        // nothing more is past retention: a second run removes nothing and records nothing
        audit.purgeExpired();
        assertThat(db.fetchCount(AUDIT_ENTRIES, AUDIT_ENTRIES.PROJECT.eq(project)))
                .isEqualTo(5);

        Path export = export("jsonl");
        assertThat(runVerifier(export)).startsWith("intact");
    }

    @Test
    void anExportVerifiesOfflineAndAChangedExportNamesTheEntry() throws Exception {
        call("first \"quoted\" prompt\twith a tab, ünïcödé and a\u0001control character");
        call("second prompt");
        AuditVerification online = viewer.verifyAudit(project);

        Path export = export("jsonl");
        List<String> lines = Files.readAllLines(export);
        assertThat(lines).hasSize(3);
        assertThat(runVerifier(export, "--expect-last-hash", online.lastHash()))
                .isEqualTo("intact; last hash " + online.lastHash());

        Path changed = dir.resolve("changed.jsonl");
        Files.writeString(
                changed,
                String.join("\n", lines.get(0), lines.get(1), lines.get(2).replace("second prompt", "secund prompt"))
                        + "\n");
        Path dropped = dir.resolve("dropped.jsonl");
        Files.writeString(dropped, String.join("\n", lines.get(0), lines.get(2)) + "\n");

        assertThat(runVerifier(changed)).isEqualTo("broken at entry 3: payload does not match its recorded SHA-256");
        assertThat(runVerifier(dropped)).startsWith("broken at entry 2: entry 2 is missing");
    }

    @Test
    void csvExportCarriesTheHashesAndTheCanonicalEnvelope() throws Exception {
        call("csv prompt");

        List<String> lines = Files.readAllLines(export("csv"));

        assertThat(lines.get(0))
                .isEqualTo("seq,id,project,kind,occurredAt,payloadSha256,prevHash,entryHash,purgedAt,"
                        + "envelope,payload");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("\"1\",").contains("\"POLICY_CHANGE\"", "\"0000000000000000");
        assertThat(lines.get(2)).contains("\"AI_CALL_ATTEMPT\"", "csv prompt", "{\"\"actorKeyId\"\":");
    }

    private Path export(String format) throws IOException, InterruptedException {
        HttpResponse<Path> response = http.send(
                HttpRequest.newBuilder(
                                URI.create(baseUri() + "/api/v1/audit/export?project=" + project + "&format=" + format))
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofFile(dir.resolve("export." + format)));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private String runVerifier(Path export, String... options) throws IOException, InterruptedException {
        assumeThat(python()).as("python3 on the PATH").isTrue();
        List<String> command = new java.util.ArrayList<>(List.of("python3", VERIFIER.toString(), export.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int exit = process.waitFor();
        assertThat(exit).as(output).isEqualTo(output.startsWith("intact") ? 0 : 1);
        return output;
    }

    private static boolean python() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
