package io.aiops.policy.domain.audit;

import io.aiops.core.ProcessCoordinates;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Everything an audit entry's hash covers except the previous hash: where it sits in its project's chain, what kind
 * of event it is, who caused it, where in which process it happened, and the SHA-256 of its payload. The payload
 * itself is hashed separately so a retention purge can drop it and the chain still verifies.
 */
public record AuditEnvelope(
        String project,
        long seq,
        AuditKind kind,
        Instant occurredAt,
        UUID actorKeyId,
        String actorName,
        ProcessCoordinates where,
        UUID decisionId,
        String provider,
        String model,
        String payloadSha256) {

    /** Version of the canonical form; part of the hashed object so a future change cannot be confused with this one. */
    public static final int FORMAT_VERSION = 1;

    private static final DateTimeFormatter MICROS_UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public AuditEnvelope {
        // the database keeps microseconds; hashing the same precision makes a re-read entry hash the same
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
        where = where == null ? ProcessCoordinates.NONE : where;
    }

    /** The hashed object, member names as documented in docs/audit.md. */
    public Map<String, Object> canonicalFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("v", FORMAT_VERSION);
        fields.put("project", project);
        fields.put("seq", seq);
        fields.put("kind", kind.name());
        fields.put("occurredAt", MICROS_UTC.format(occurredAt));
        fields.put("actorKeyId", actorKeyId == null ? null : actorKeyId.toString());
        fields.put("actorName", actorName);
        // the coordinates the chain has always covered (format 1): the definition, its version and the tenant are not
        fields.put("processInstanceKey", where.processInstanceKey());
        fields.put("bpmnProcessId", where.bpmnProcessId());
        fields.put("elementId", where.elementId());
        fields.put("elementInstanceKey", where.elementInstanceKey());
        fields.put("jobKey", where.jobKey());
        fields.put("decisionId", decisionId == null ? null : decisionId.toString());
        fields.put("provider", provider);
        fields.put("model", model);
        fields.put("payloadSha256", payloadSha256);
        return fields;
    }

    public String canonical() {
        return CanonicalJson.write(canonicalFields());
    }

    /** {@code hex(SHA-256(ascii(previousHash) || utf8(canonical envelope)))}. */
    public String entryHash(String previousHash) {
        return AuditHashes.sha256Hex(previousHash + canonical());
    }

    public static String formatTime(Instant instant) {
        return MICROS_UTC.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
