package io.aiops.policy.domain.audit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Walks one project's chain in sequence order and checks every link: sequence numbers without gaps, each entry's
 * previous hash equal to the entry before it, payloads matching their hashes, entry hashes matching their contents,
 * tombstones covered by a later purge record, and the end of the chain equal to the chain head the database keeps
 * (which catches a truncated tail). Plain Java so the same procedure runs offline over an export.
 */
public final class ChainVerifier {

    private static final Pattern PURGED_THROUGH = Pattern.compile("\"purgedThroughSeq\":(\\d+)");

    /** The chain head as recorded when entries were appended; absent for a project that never had one. */
    public record Head(long lastSeq, String lastHash) {}

    private ChainVerifier() {}

    public static ChainVerdict verify(String project, Iterator<StoredAuditEntry> entries, Head head) {
        return verify(project, entries, head, List.of());
    }

    /**
     * As above, and every anchor (checked, of this project) must agree: the entry at its {@code seq} has its hash, and
     * the chain reaches that far. A database owner can rewrite the chain and its head consistently; an anchor published
     * before the rewrite names the first entry that differs.
     */
    public static ChainVerdict verify(
            String project, Iterator<StoredAuditEntry> entries, Head head, List<ChainAnchor> anchors) {
        List<ChainAnchor> pending = new ArrayList<>(anchors);
        pending.sort(Comparator.comparingLong(ChainAnchor::seq));
        long expectedSeq = 1;
        String expectedPrev = AuditHashes.GENESIS;
        long checked = 0;
        // tombstones not yet explained by a purge record, in sequence order
        Deque<StoredAuditEntry> tombstones = new ArrayDeque<>();
        while (entries.hasNext()) {
            StoredAuditEntry entry = entries.next();
            String problem = problemOf(entry, expectedSeq, expectedPrev);
            if (problem != null) {
                long seq = Math.min(entry.seq(), expectedSeq);
                UUID id = entry.seq() == seq ? entry.id() : null;
                return firstOf(project, checked, expectedSeq - 1, expectedPrev, tombstones, seq, id, problem);
            }
            while (!pending.isEmpty() && pending.getFirst().seq() <= entry.seq()) {
                ChainAnchor anchor = pending.removeFirst();
                if (anchor.seq() == entry.seq() && !anchor.hash().equals(entry.entryHash())) {
                    return firstOf(
                            project,
                            checked,
                            expectedSeq - 1,
                            expectedPrev,
                            tombstones,
                            entry.seq(),
                            entry.id(),
                            "entry " + entry.seq() + " differs from the anchor published at " + anchor.anchoredAt()
                                    + " (hash " + anchor.hash() + "): the chain was rewritten after it was anchored");
                }
            }
            if (entry.payload() == null) {
                tombstones.addLast(entry);
            } else if (entry.envelope().kind() == AuditKind.RETENTION_PURGE) {
                Matcher through = PURGED_THROUGH.matcher(entry.payload());
                if (through.find()) {
                    long purgedThrough = Long.parseLong(through.group(1));
                    tombstones.removeIf(t -> t.seq() <= purgedThrough);
                }
            }
            checked++;
            expectedSeq++;
            expectedPrev = entry.entryHash();
        }
        long lastSeq = expectedSeq - 1;
        if (!pending.isEmpty() && (head == null || head.lastSeq() <= lastSeq)) {
            ChainAnchor anchor = pending.getLast();
            return firstOf(
                    project,
                    checked,
                    lastSeq,
                    expectedPrev,
                    tombstones,
                    lastSeq + 1,
                    null,
                    "the chain ends at entry " + lastSeq + " but an anchor published at " + anchor.anchoredAt()
                            + " records " + anchor.seq() + " entries: entries were removed after they were anchored");
        }
        if (head != null && head.lastSeq() > lastSeq) {
            return firstOf(
                    project,
                    checked,
                    lastSeq,
                    expectedPrev,
                    tombstones,
                    lastSeq + 1,
                    null,
                    "entries " + (lastSeq + 1) + ".." + head.lastSeq() + " are missing: the chain head records "
                            + head.lastSeq() + " entries but the chain ends at " + lastSeq);
        }
        if (head != null && head.lastSeq() < lastSeq) {
            return firstOf(
                    project,
                    checked,
                    lastSeq,
                    expectedPrev,
                    tombstones,
                    head.lastSeq() + 1,
                    null,
                    "entries after " + head.lastSeq() + " were not appended through the chain head");
        }
        if (head != null && lastSeq > 0 && !head.lastHash().equals(expectedPrev)) {
            return firstOf(
                    project,
                    checked,
                    lastSeq,
                    expectedPrev,
                    tombstones,
                    lastSeq,
                    null,
                    "the last entry's hash differs from the one the chain head recorded (" + head.lastHash() + ")");
        }
        if (!tombstones.isEmpty()) {
            StoredAuditEntry t = tombstones.getFirst();
            return new ChainVerdict(
                    project,
                    false,
                    checked,
                    lastSeq,
                    expectedPrev,
                    t.seq(),
                    t.id(),
                    "payload removed without a retention purge record covering it");
        }
        return new ChainVerdict(project, true, checked, lastSeq, expectedPrev, null, null, null);
    }

    private static ChainVerdict firstOf(
            String project,
            long checked,
            long lastSeq,
            String lastHash,
            Deque<StoredAuditEntry> tombstones,
            long seq,
            UUID id,
            String problem) {
        if (!tombstones.isEmpty() && tombstones.getFirst().seq() < seq) {
            StoredAuditEntry t = tombstones.getFirst();
            return new ChainVerdict(
                    project,
                    false,
                    checked,
                    lastSeq,
                    lastHash,
                    t.seq(),
                    t.id(),
                    "payload removed without a retention purge record covering it");
        }
        return new ChainVerdict(project, false, checked, lastSeq, lastHash, seq, id, problem);
    }

    private static String problemOf(StoredAuditEntry entry, long expectedSeq, String expectedPrev) {
        if (entry.seq() > expectedSeq) {
            return expectedSeq == entry.seq() - 1
                    ? "entry " + expectedSeq + " is missing (the next stored entry is " + entry.seq() + ")"
                    : "entries " + expectedSeq + ".." + (entry.seq() - 1) + " are missing (the next stored entry is "
                            + entry.seq() + ")";
        }
        if (entry.seq() < expectedSeq) {
            return "sequence number " + entry.seq() + " appears twice";
        }
        if (!expectedPrev.equals(entry.prevHash())) {
            return "previous hash " + entry.prevHash() + " is not the hash of entry " + (expectedSeq - 1) + " ("
                    + expectedPrev + "): entries were reordered, replaced or removed";
        }
        if (entry.payload() != null
                && !AuditHashes.sha256Hex(entry.payload())
                        .equals(entry.envelope().payloadSha256())) {
            return "payload does not match its recorded SHA-256: the payload was changed";
        }
        if (entry.payload() == null && entry.purgedAt() == null) {
            return "payload is missing although no retention purge removed it";
        }
        String recomputed = entry.envelope().entryHash(entry.prevHash());
        if (!recomputed.equals(entry.entryHash())) {
            return "entry hash does not match the entry's contents: a field of the entry was changed";
        }
        return null;
    }
}
