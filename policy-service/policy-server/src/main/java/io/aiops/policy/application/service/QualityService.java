package io.aiops.policy.application.service;

import io.aiops.policy.api.QualityReport;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.QualityQuery;
import io.aiops.policy.application.port.out.QualityLedger;
import io.aiops.policy.application.port.out.QualityLedger.CallRow;
import io.aiops.policy.application.port.out.QualityLedger.ScoreRow;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.SpendDimension;
import io.aiops.policy.domain.quality.ScoreType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.transaction.annotation.Transactional;

/** Quality reports over the ledger: calls and scores grouped in the database, rates worked out here. */
public class QualityService implements QualityQuery {

    /** Decimals of means and rates. */
    static final int RATE_SCALE = 4;

    private final QualityLedger ledger;
    private final Clock clock;

    public QualityService(QualityLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public QualityReport quality(String from, String to, String groupBy, ApiPrincipal actor) {
        ReportParameters.Range range = ReportParameters.range(from, to, clock);
        List<SpendDimension> dimensions = ReportParameters.dimensions(groupBy);
        List<CallRow> calls = ledger.calls(range.from(), range.to(), dimensions, actor.projects());
        Map<List<String>, List<QualityReport.ScoreSummary>> scores = new HashMap<>();
        for (ScoreRow row : ledger.scores(range.from(), range.to(), dimensions, actor.projects())) {
            scores.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(summary(row));
        }
        List<QualityReport.Group> groups = new ArrayList<>();
        for (CallRow row : calls) {
            Map<String, String> key = new LinkedHashMap<>();
            for (int i = 0; i < dimensions.size(); i++) {
                key.put(dimensions.get(i).parameterName(), row.key().get(i));
            }
            BigDecimal cost = Money.shown(row.costUsd());
            groups.add(new QualityReport.Group(
                    key,
                    row.calls(),
                    row.succeededCalls(),
                    row.successfulCalls(),
                    cost,
                    row.successfulCalls() == 0
                            ? null
                            : Money.shown(row.costUsd()
                                    .divide(
                                            BigDecimal.valueOf(row.successfulCalls()),
                                            Money.SCALE,
                                            RoundingMode.HALF_EVEN)),
                    row.feedbackCalls(),
                    row.acceptedCalls(),
                    scores.getOrDefault(row.key(), List.of())));
        }
        return new QualityReport(
                range.from(),
                range.to(),
                dimensions.stream().map(SpendDimension::parameterName).toList(),
                groups);
    }

    private static QualityReport.ScoreSummary summary(ScoreRow row) {
        BigDecimal mean = row.valueCount() == 0
                ? null
                : row.valueSum()
                        .divide(BigDecimal.valueOf(row.valueCount()), RATE_SCALE, RoundingMode.HALF_EVEN)
                        .stripTrailingZeros();
        boolean bool = row.type() == ScoreType.BOOLEAN;
        return new QualityReport.ScoreSummary(
                row.name(),
                ApiMapping.toApi(row.source()),
                ApiMapping.toApi(row.type()),
                row.count(),
                mean,
                bool ? row.passed() : null,
                bool && row.count() > 0
                        ? BigDecimal.valueOf(row.passed())
                                .divide(BigDecimal.valueOf(row.count()), RATE_SCALE, RoundingMode.HALF_EVEN)
                                .stripTrailingZeros()
                        : null);
    }
}
