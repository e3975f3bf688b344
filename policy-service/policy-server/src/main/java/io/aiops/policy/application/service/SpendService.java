package io.aiops.policy.application.service;

import io.aiops.policy.api.SpendReport;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.in.SpendQuery;
import io.aiops.policy.application.port.out.SpendLedger;
import io.aiops.policy.application.port.out.SpendLedger.SpendRow;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.SpendDimension;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.transaction.annotation.Transactional;

/** Spend reports over the ledger: one query, grouped in the database, totals added here. */
public class SpendService implements SpendQuery {

    private final SpendLedger ledger;
    private final Clock clock;

    public SpendService(SpendLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public SpendReport spend(String from, String to, String groupBy, List<String> tags, ApiPrincipal actor) {
        ReportParameters.Range range = ReportParameters.range(from, to, clock);
        Instant start = range.from();
        Instant end = range.to();
        List<SpendDimension> dimensions = ReportParameters.dimensions(groupBy);
        Map<String, String> tagFilter = tags(tags);

        List<SpendRow> rows = ledger.spend(start, end, dimensions, tagFilter, actor.projects());
        List<SpendReport.Group> groups = new ArrayList<>();
        for (SpendRow row : rows) {
            Map<String, String> key = new LinkedHashMap<>();
            for (int i = 0; i < dimensions.size(); i++) {
                key.put(dimensions.get(i).parameterName(), row.key().get(i));
            }
            groups.add(new SpendReport.Group(
                    key,
                    row.calls(),
                    row.attempts(),
                    row.inputTokens(),
                    row.outputTokens(),
                    Money.shown(row.costUsd())));
        }
        // with no grouping the one row is the total; grouped by model a call may sit in several groups, so the total
        // call count comes from an ungrouped sum rather than from adding groups up
        SpendRow all = dimensions.isEmpty()
                ? rows.stream().findFirst().orElse(null)
                : ledger.spend(start, end, List.of(), tagFilter, actor.projects()).stream()
                        .findFirst()
                        .orElse(null);
        SpendReport.Group total = all == null
                ? new SpendReport.Group(Map.of(), 0, 0, 0, 0, BigDecimal.ZERO)
                : new SpendReport.Group(
                        Map.of(),
                        all.calls(),
                        all.attempts(),
                        all.inputTokens(),
                        all.outputTokens(),
                        Money.shown(all.costUsd()));
        return new SpendReport(
                start,
                end,
                dimensions.stream().map(SpendDimension::parameterName).toList(),
                dimensions.isEmpty() ? List.of() : groups,
                total);
    }

    private static Map<String, String> tags(List<String> tags) {
        Map<String, String> filter = new LinkedHashMap<>();
        if (tags == null) {
            return filter;
        }
        for (String tag : tags) {
            int colon = tag.indexOf(':');
            if (colon <= 0) {
                throw RequestRejected.invalid("tag", "tag must be key:value, not '" + tag + "'");
            }
            filter.put(tag.substring(0, colon), tag.substring(colon + 1));
        }
        return filter;
    }
}
