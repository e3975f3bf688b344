package io.aiops.policy.application.port.out;

import io.aiops.policy.domain.SpendDimension;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sums the call ledger. */
public interface SpendLedger {

    /** One group's figures; {@code key} holds one value per requested dimension, in the requested order. */
    record SpendRow(
            List<String> key, long calls, long attempts, long inputTokens, long outputTokens, BigDecimal costUsd) {}

    /**
     * Groups the attempts of calls recorded in {@code [from, to)} whose decision has all {@code tags}, limited to the
     * decisions of {@code projects} (empty: every project).
     */
    List<SpendRow> spend(
            Instant from, Instant to, List<SpendDimension> groupBy, Map<String, String> tags, List<String> projects);
}
