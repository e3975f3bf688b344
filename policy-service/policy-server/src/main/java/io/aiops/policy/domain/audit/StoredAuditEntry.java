package io.aiops.policy.domain.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * An audit entry as stored: its envelope, the chain links, and the canonical payload text — null once a retention
 * purge removed it ({@code purgedAt} set), in which case the envelope's payload hash still binds what was there.
 */
public record StoredAuditEntry(
        UUID id, AuditEnvelope envelope, String prevHash, String entryHash, String payload, Instant purgedAt) {

    public long seq() {
        return envelope.seq();
    }
}
