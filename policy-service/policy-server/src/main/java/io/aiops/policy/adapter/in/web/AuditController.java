package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.AuditAnchor;
import io.aiops.policy.api.AuditVerification;
import io.aiops.policy.api.Name;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.AuditUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.domain.audit.AuditEnvelope;
import io.aiops.policy.domain.audit.ChainAnchor;
import io.aiops.policy.domain.audit.StoredAuditEntry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Verifies a project's audit chain and streams it out with its hashes for offline verification (docs/audit.md). */
@RestController
class AuditController {

    static final List<String> CSV_COLUMNS = List.of(
            "seq",
            "id",
            "project",
            "kind",
            "occurredAt",
            "payloadSha256",
            "prevHash",
            "entryHash",
            "purgedAt",
            "envelope",
            "payload");

    private final AuditUseCase audit;
    private final ObjectMapper json;

    AuditController(AuditUseCase audit, ObjectMapper json) {
        this.audit = audit;
        this.json = json;
    }

    @GetMapping("/api/v1/audit/verify")
    AuditVerification verify(
            @RequestParam(required = false) @Name String project,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return audit.verify(project, principal);
    }

    /** Verifies the chain against anchors kept elsewhere (besides those in the configured anchor stores). */
    @PostMapping("/api/v1/audit/verify")
    AuditVerification verifyAgainst(
            @RequestParam(required = false) @Name String project,
            @RequestBody @Size(max = MAX_ANCHORS) List<@Valid @NotNull AuditAnchor> anchors,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return audit.verify(
                project, anchors.stream().map(AuditController::toDomain).toList(), principal);
    }

    /** Publishes every project's chain head now, signed, to the configured anchor stores. */
    @PostMapping("/api/v1/audit/anchors")
    List<AuditAnchor> publishAnchors(
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return audit.publishAnchors(principal).stream()
                .map(AuditController::toApi)
                .toList();
    }

    static final int MAX_ANCHORS = 10_000;

    private static ChainAnchor toDomain(AuditAnchor a) {
        return new ChainAnchor(a.project(), a.seq(), a.hash(), a.anchoredAt(), a.keyId(), a.signature());
    }

    private static AuditAnchor toApi(ChainAnchor a) {
        return new AuditAnchor(a.project(), a.seq(), a.hash(), a.anchoredAt(), a.keyId(), a.signature());
    }

    @GetMapping("/api/v1/audit/export")
    ResponseEntity<StreamingResponseBody> export(
            @RequestParam(required = false) @Name String project,
            @RequestParam(required = false) @Name String from,
            @RequestParam(required = false) @Name String to,
            @RequestParam(defaultValue = "jsonl") @Name String format,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        if (!format.equals("jsonl") && !format.equals("csv")) {
            throw RequestRejected.invalid("format", "format must be jsonl or csv");
        }
        // access and parameters are checked before the first byte is written
        AuditUseCase.Export export = audit.export(project, instant("from", from), instant("to", to), principal);
        boolean csv = format.equals("csv");
        StreamingResponseBody body = out -> {
            if (csv) {
                out.write((String.join(",", CSV_COLUMNS) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            try {
                export.forEach(entry -> write(out, csv ? csvLine(entry) : jsonLine(entry)));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        };
        return ResponseEntity.ok()
                .contentType(
                        csv
                                ? new MediaType("text", "csv", StandardCharsets.UTF_8)
                                : MediaType.parseMediaType("application/x-ndjson"))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"audit-" + project.replaceAll("[^A-Za-z0-9._-]", "_") + "." + format
                                + "\"")
                .body(body);
    }

    private static void write(OutputStream out, String line) {
        try {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String jsonLine(StoredAuditEntry entry) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("seq", entry.seq());
        line.put("id", entry.id().toString());
        line.put("prevHash", entry.prevHash());
        line.put("entryHash", entry.entryHash());
        line.put("envelope", entry.envelope().canonicalFields());
        line.put("payload", entry.payload());
        line.put("purgedAt", entry.purgedAt() == null ? null : AuditEnvelope.formatTime(entry.purgedAt()));
        try {
            return json.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String csvLine(StoredAuditEntry entry) {
        AuditEnvelope e = entry.envelope();
        List<String> values = List.of(
                Long.toString(e.seq()),
                entry.id().toString(),
                e.project(),
                e.kind().name(),
                AuditEnvelope.formatTime(e.occurredAt()),
                e.payloadSha256(),
                entry.prevHash(),
                entry.entryHash(),
                entry.purgedAt() == null ? "" : AuditEnvelope.formatTime(entry.purgedAt()),
                e.canonical(),
                entry.payload() == null ? "" : entry.payload());
        StringBuilder line = new StringBuilder();
        for (String value : values) {
            if (!line.isEmpty()) {
                line.append(',');
            }
            line.append('"').append(value.replace("\"", "\"\"")).append('"');
        }
        return line.toString();
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw RequestRejected.invalid(field, field + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }
}
