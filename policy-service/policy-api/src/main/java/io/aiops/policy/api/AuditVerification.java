package io.aiops.policy.api;

import java.util.UUID;

/**
 * The result of verifying a project's audit chain: intact, or the first entry that fails (its sequence number, id
 * when the row exists, and why). {@code lastHash} is the hash of the last entry checked.
 */
public record AuditVerification(
        String project,
        boolean intact,
        long entriesChecked,
        long lastSeq,
        String lastHash,
        Long brokenSeq,
        UUID brokenEntryId,
        String problem) {}
