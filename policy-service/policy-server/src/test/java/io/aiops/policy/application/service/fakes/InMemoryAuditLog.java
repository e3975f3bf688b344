package io.aiops.policy.application.service.fakes;

import io.aiops.policy.application.port.out.AuditLog;
import io.aiops.policy.domain.audit.AuditEnvelope;
import io.aiops.policy.domain.audit.AuditHashes;
import io.aiops.policy.domain.audit.CanonicalJson;
import io.aiops.policy.domain.audit.ChainVerifier;
import io.aiops.policy.domain.audit.StoredAuditEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Per-project hash chains in lists, appended as the SQL adapter appends them: payloads written canonically (a payload
 * that is no canonical JSON tree is refused), each entry linked to the previous one's hash. Retention purges are not
 * faked.
 */
public final class InMemoryAuditLog implements AuditLog {

    private final Map<String, List<StoredAuditEntry>> chains = new TreeMap<>();

    @Override
    public List<StoredAuditEntry> append(List<NewAuditEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        String project = entries.getFirst().project();
        if (entries.stream().anyMatch(e -> !e.project().equals(project))) {
            throw new IllegalArgumentException("one append covers one project's chain");
        }
        List<StoredAuditEntry> chain = chains.computeIfAbsent(project, p -> new ArrayList<>());
        long seq = chain.isEmpty() ? 0 : chain.getLast().seq();
        String prev = chain.isEmpty() ? AuditHashes.GENESIS : chain.getLast().entryHash();
        List<StoredAuditEntry> stored = new ArrayList<>();
        for (NewAuditEntry e : entries) {
            String payload = CanonicalJson.write(e.payload());
            AuditEnvelope envelope = e.envelope(++seq, payload);
            String hash = envelope.entryHash(prev);
            StoredAuditEntry entry = new StoredAuditEntry(UUID.randomUUID(), envelope, prev, hash, payload, null);
            stored.add(entry);
            prev = hash;
        }
        chain.addAll(stored);
        return stored;
    }

    @Override
    public Optional<ChainVerifier.Head> head(String project) {
        List<StoredAuditEntry> chain = chains.get(project);
        return chain == null || chain.isEmpty()
                ? Optional.empty()
                : Optional.of(new ChainVerifier.Head(
                        chain.getLast().seq(), chain.getLast().entryHash()));
    }

    @Override
    public <T> T readChain(String project, Function<Iterator<StoredAuditEntry>, T> reader) {
        return reader.apply(entries(project).iterator());
    }

    @Override
    public void export(String project, Instant from, Instant to, Consumer<StoredAuditEntry> sink) {
        entries(project).stream()
                .filter(e -> from == null || !e.envelope().occurredAt().isBefore(from))
                .filter(e -> to == null || e.envelope().occurredAt().isBefore(to))
                .forEach(sink);
    }

    @Override
    public List<String> projects() {
        return List.copyOf(chains.keySet());
    }

    @Override
    public Optional<Long> lastSeqBefore(String project, Instant cutoff) {
        throw new UnsupportedOperationException("retention purges are not faked");
    }

    @Override
    public int purgePayloads(String project, Instant cutoff, long throughSeq, Instant now) {
        throw new UnsupportedOperationException("retention purges are not faked");
    }

    /** The project's chain, oldest entry first. */
    public List<StoredAuditEntry> entries(String project) {
        return List.copyOf(chains.getOrDefault(project, List.of()));
    }
}
