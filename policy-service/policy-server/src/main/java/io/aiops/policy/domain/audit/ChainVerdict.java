package io.aiops.policy.domain.audit;

import java.util.UUID;

/**
 * The result of walking one project's chain: intact, or the first entry that does not check out and why. After the
 * first break nothing later is trusted, so only that one is named.
 */
public record ChainVerdict(
        String project,
        boolean intact,
        long entriesChecked,
        long lastSeq,
        String lastHash,
        Long brokenSeq,
        UUID brokenEntryId,
        String problem) {}
