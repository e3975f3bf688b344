package io.aiops.policy.application.port.out;

import io.aiops.policy.domain.SpendDimension;
import io.aiops.policy.domain.quality.ScoreSource;
import io.aiops.policy.domain.quality.ScoreType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Quality figures over the ledger: calls with their outcomes and verdicts, and score sums, per group. */
public interface QualityLedger {

    /** One group's calls; {@code key} holds one value per requested dimension, in the requested order. */
    record CallRow(
            List<String> key,
            long calls,
            long succeededCalls,
            long successfulCalls,
            BigDecimal costUsd,
            long feedbackCalls,
            long acceptedCalls) {}

    /** One group's scores of one name, source and type; {@code passed} counts BOOLEAN scores of 1. */
    record ScoreRow(
            List<String> key,
            String name,
            ScoreSource source,
            ScoreType type,
            long count,
            BigDecimal valueSum,
            long valueCount,
            long passed) {}

    /**
     * The calls made in {@code [from, to)} by group, limited to {@code projects} (empty: all). Model and provider are
     * the ones that answered (or, when all failed, tried last).
     */
    List<CallRow> calls(Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects);

    /**
     * The scores of those calls by group, name, source and type. Model and provider are the scored attempt's; a score
     * of the whole call counts for the call's.
     */
    List<ScoreRow> scores(Instant from, Instant to, List<SpendDimension> groupBy, List<String> projects);
}
