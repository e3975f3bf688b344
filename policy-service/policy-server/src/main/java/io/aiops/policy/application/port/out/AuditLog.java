package io.aiops.policy.application.port.out;

import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.domain.audit.AuditEnvelope;
import io.aiops.policy.domain.audit.AuditHashes;
import io.aiops.policy.domain.audit.AuditKind;
import io.aiops.policy.domain.audit.ChainVerifier;
import io.aiops.policy.domain.audit.StoredAuditEntry;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/** The append-only, per-project hash-chained audit trail. */
public interface AuditLog {

    /** An entry about to be appended; {@code payload} must be a canonical JSON tree (see CanonicalJson). */
    record NewAuditEntry(
            String project,
            AuditKind kind,
            Instant occurredAt,
            UUID actorKeyId,
            String actorName,
            ProcessCoordinates where,
            UUID decisionId,
            String provider,
            String model,
            Map<String, Object> payload) {

        /**
         * The envelope this entry gets as entry {@code seq} of its chain, with its payload as written
         * ({@code canonicalPayload}, whose SHA-256 the envelope covers).
         */
        public AuditEnvelope envelope(long seq, String canonicalPayload) {
            return new AuditEnvelope(
                    project,
                    seq,
                    kind,
                    occurredAt,
                    actorKeyId,
                    actorName,
                    where,
                    decisionId,
                    provider,
                    model,
                    AuditHashes.sha256Hex(canonicalPayload));
        }
    }

    /**
     * Appends the entries, in order, to the chain of their project within the caller's transaction. Locks the
     * project's chain head until that transaction ends, so appends to one project are serialised and others are not.
     *
     * @throws IllegalArgumentException when the entries belong to more than one project
     */
    List<StoredAuditEntry> append(List<NewAuditEntry> entries);

    Optional<ChainVerifier.Head> head(String project);

    /** Runs the reader over the project's entries in sequence order, streamed from a database cursor. */
    <T> T readChain(String project, Function<Iterator<StoredAuditEntry>, T> reader);

    /** Streams the project's entries that occurred in [from, to) in sequence order; null bounds are open. */
    void export(String project, Instant from, Instant to, Consumer<StoredAuditEntry> sink);

    /** Every project that has a chain. */
    List<String> projects();

    /** The highest sequence number of the project's entries that occurred before the cutoff, if any. */
    Optional<Long> lastSeqBefore(String project, Instant cutoff);

    /**
     * Removes payloads of the project's entries up to {@code throughSeq} that occurred before the cutoff (purge
     * records excepted), leaving tombstones; returns how many it removed.
     */
    int purgePayloads(String project, Instant cutoff, long throughSeq, Instant now);
}
