package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_CHAIN_HEADS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;

import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.AuditEntriesRecord;
import io.aiops.policy.application.port.out.AuditLog;
import io.aiops.policy.domain.audit.AuditEnvelope;
import io.aiops.policy.domain.audit.AuditHashes;
import io.aiops.policy.domain.audit.AuditKind;
import io.aiops.policy.domain.audit.CanonicalJson;
import io.aiops.policy.domain.audit.ChainVerifier;
import io.aiops.policy.domain.audit.StoredAuditEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** The audit trail in {@code audit_entries}, chained through the per-project row in {@code audit_chain_heads}. */
@Repository
class JooqAuditLog implements AuditLog {

    private static final int FETCH_SIZE = 500;

    private final DSLContext db;

    JooqAuditLog(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<StoredAuditEntry> append(List<NewAuditEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        String project = entries.getFirst().project();
        if (entries.stream().anyMatch(e -> !e.project().equals(project))) {
            throw new IllegalArgumentException("one append covers one project's chain");
        }
        Instant now = entries.getLast().occurredAt();
        db.insertInto(AUDIT_CHAIN_HEADS)
                .set(AUDIT_CHAIN_HEADS.PROJECT, project)
                .set(AUDIT_CHAIN_HEADS.LAST_SEQ, 0L)
                .set(AUDIT_CHAIN_HEADS.LAST_HASH, AuditHashes.GENESIS)
                .set(AUDIT_CHAIN_HEADS.UPDATED_AT, ColumnValues.utc(now))
                .onConflict(AUDIT_CHAIN_HEADS.PROJECT)
                .doNothing()
                .execute();
        // the row lock serialises appends to this project until the caller's transaction ends
        var head = db.selectFrom(AUDIT_CHAIN_HEADS)
                .where(AUDIT_CHAIN_HEADS.PROJECT.eq(project))
                .forUpdate()
                .fetchSingle();
        long seq = head.getLastSeq();
        String prev = head.getLastHash();
        List<StoredAuditEntry> stored = new ArrayList<>(entries.size());
        var insert = db.insertInto(AUDIT_ENTRIES).columns(AUDIT_ENTRIES.fields());
        for (NewAuditEntry e : entries) {
            seq++;
            String payload = CanonicalJson.write(e.payload());
            AuditEnvelope envelope = e.envelope(seq, payload);
            String hash = envelope.entryHash(prev);
            StoredAuditEntry entry = new StoredAuditEntry(UUID.randomUUID(), envelope, prev, hash, payload, null);
            insert = insert.values(toRecord(entry).intoArray());
            stored.add(entry);
            prev = hash;
        }
        insert.execute();
        db.update(AUDIT_CHAIN_HEADS)
                .set(AUDIT_CHAIN_HEADS.LAST_SEQ, seq)
                .set(AUDIT_CHAIN_HEADS.LAST_HASH, prev)
                .set(AUDIT_CHAIN_HEADS.UPDATED_AT, ColumnValues.utc(now))
                .where(AUDIT_CHAIN_HEADS.PROJECT.eq(project))
                .execute();
        return stored;
    }

    @Override
    public Optional<ChainVerifier.Head> head(String project) {
        return db.selectFrom(AUDIT_CHAIN_HEADS)
                .where(AUDIT_CHAIN_HEADS.PROJECT.eq(project))
                .fetchOptional(r -> new ChainVerifier.Head(r.getLastSeq(), r.getLastHash()));
    }

    @Override
    public <T> T readChain(String project, Function<Iterator<StoredAuditEntry>, T> reader) {
        // PostgreSQL streams with a fetch size only inside a transaction
        return db.transactionResult(tx -> readChain(tx.dsl(), project, reader));
    }

    private static <T> T readChain(DSLContext db, String project, Function<Iterator<StoredAuditEntry>, T> reader) {
        try (Cursor<AuditEntriesRecord> cursor = db.selectFrom(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.PROJECT.eq(project))
                .orderBy(AUDIT_ENTRIES.SEQ)
                .fetchSize(FETCH_SIZE)
                .fetchLazy()) {
            Iterator<AuditEntriesRecord> rows = cursor.iterator();
            return reader.apply(new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public StoredAuditEntry next() {
                    return toEntry(rows.next());
                }
            });
        }
    }

    @Override
    public void export(String project, Instant from, Instant to, Consumer<StoredAuditEntry> sink) {
        Condition condition = AUDIT_ENTRIES.PROJECT.eq(project);
        if (from != null) {
            condition = condition.and(AUDIT_ENTRIES.OCCURRED_AT.ge(ColumnValues.utc(from)));
        }
        if (to != null) {
            condition = condition.and(AUDIT_ENTRIES.OCCURRED_AT.lt(ColumnValues.utc(to)));
        }
        Condition where = condition;
        db.transaction(tx -> {
            try (Cursor<AuditEntriesRecord> cursor = tx.dsl()
                    .selectFrom(AUDIT_ENTRIES)
                    .where(where)
                    .orderBy(AUDIT_ENTRIES.SEQ)
                    .fetchSize(FETCH_SIZE)
                    .fetchLazy()) {
                for (AuditEntriesRecord row : cursor) {
                    sink.accept(toEntry(row));
                }
            }
        });
    }

    @Override
    public List<String> projects() {
        return db.select(AUDIT_CHAIN_HEADS.PROJECT)
                .from(AUDIT_CHAIN_HEADS)
                .orderBy(AUDIT_CHAIN_HEADS.PROJECT)
                .fetch(AUDIT_CHAIN_HEADS.PROJECT);
    }

    @Override
    public Optional<Long> lastSeqBefore(String project, Instant cutoff) {
        return Optional.ofNullable(db.select(DSL.max(AUDIT_ENTRIES.SEQ))
                .from(AUDIT_ENTRIES)
                .where(AUDIT_ENTRIES.PROJECT.eq(project).and(AUDIT_ENTRIES.OCCURRED_AT.lt(ColumnValues.utc(cutoff))))
                .fetchOne(0, Long.class));
    }

    @Override
    public int purgePayloads(String project, Instant cutoff, long throughSeq, Instant now) {
        Integer purged = db.select(DSL.function(
                        "audit_purge_payloads",
                        Integer.class,
                        DSL.val(project),
                        DSL.val(ColumnValues.utc(cutoff)),
                        DSL.val(throughSeq),
                        DSL.val(ColumnValues.utc(now))))
                .fetchOne(0, Integer.class);
        return purged == null ? 0 : purged;
    }

    private AuditEntriesRecord toRecord(StoredAuditEntry entry) {
        AuditEnvelope e = entry.envelope();
        AuditEntriesRecord r = db.newRecord(AUDIT_ENTRIES);
        r.setId(entry.id());
        r.setProject(e.project());
        r.setSeq(e.seq());
        r.setKind(e.kind().name());
        r.setOccurredAt(ColumnValues.utc(e.occurredAt()));
        r.setActorKeyId(e.actorKeyId());
        r.setActorName(e.actorName());
        r.setProcessInstanceKey(e.where().processInstanceKey());
        r.setBpmnProcessId(e.where().bpmnProcessId());
        r.setElementId(e.where().elementId());
        r.setElementInstanceKey(e.where().elementInstanceKey());
        r.setJobKey(e.where().jobKey());
        r.setDecisionId(e.decisionId());
        r.setProvider(e.provider());
        r.setModel(e.model());
        r.setPayload(entry.payload());
        r.setPayloadSha256(e.payloadSha256());
        r.setPrevHash(entry.prevHash());
        r.setEntryHash(entry.entryHash());
        r.setPurgedAt(ColumnValues.utc(entry.purgedAt()));
        return r;
    }

    private static StoredAuditEntry toEntry(AuditEntriesRecord r) {
        AuditEnvelope envelope = new AuditEnvelope(
                r.getProject(),
                r.getSeq(),
                AuditKind.valueOf(r.getKind()),
                ColumnValues.instant(r.getOccurredAt()),
                r.getActorKeyId(),
                r.getActorName(),
                new ProcessCoordinates(
                        r.getBpmnProcessId(),
                        null,
                        null,
                        r.getProcessInstanceKey(),
                        r.getElementId(),
                        r.getElementInstanceKey(),
                        r.getJobKey(),
                        null),
                r.getDecisionId(),
                r.getProvider(),
                r.getModel(),
                r.getPayloadSha256());
        return new StoredAuditEntry(
                r.getId(),
                envelope,
                r.getPrevHash(),
                r.getEntryHash(),
                r.getPayload(),
                ColumnValues.instant(r.getPurgedAt()));
    }
}
