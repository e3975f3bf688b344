package io.aiops.policy.adapter.out.persistence;

import io.aiops.policy.application.port.out.QualityLedger.CallRow;
import io.aiops.policy.application.port.out.QualityLedger.ScoreRow;
import io.aiops.policy.domain.SpendDimension;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/** The quality report's two reads, as the service makes them and from the raw ledger alone, for the benchmarks. */
public final class QualityReads {

    /** A report's reads: its calls and its scores per group. */
    public record Report(List<CallRow> calls, List<ScoreRow> scores) {}

    private QualityReads() {}

    /** As the service reads: whole hours from the rollups, partial hours from the ledger. */
    public static Report asServed(DSLContext db, Instant from, Instant to, List<SpendDimension> groupBy) {
        JooqQualityLedger ledger = new JooqQualityLedger(db);
        return new Report(ledger.calls(from, to, groupBy, List.of()), ledger.scores(from, to, groupBy, List.of()));
    }

    /** From the ledger alone, call by call, as the report was computed before the rollups. */
    public static Report fromLedger(DSLContext db, Instant from, Instant to, List<SpendDimension> groupBy) {
        JooqQualityLedger ledger = new JooqQualityLedger(db);
        return new Report(
                ledger.callsFromLedger(from, to, groupBy, List.of()),
                ledger.scoresFromLedger(from, to, groupBy, List.of()));
    }
}
