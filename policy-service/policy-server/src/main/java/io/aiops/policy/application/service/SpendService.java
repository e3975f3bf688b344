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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.transaction.annotation.Transactional;

/** Spend reports over the ledger: one query, grouped in the database, totals added here. */
public class SpendService implements SpendQuery {

    private static final Duration DEFAULT_RANGE = Duration.ofDays(7);
    private static final Duration MAX_RANGE = Duration.ofDays(400);

    private final SpendLedger ledger;
    private final Clock clock;

    public SpendService(SpendLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public SpendReport spend(String from, String to, String groupBy, List<String> tags, ApiPrincipal actor) {
        Instant end = to == null || to.isBlank() ? clock.instant() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_RANGE) : instant("from", from);
        if (!start.isBefore(end)) {
            throw RequestRejected.invalid("from", "from must be before to");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw RequestRejected.invalid("from", "a report covers at most " + MAX_RANGE.toDays() + " days");
        }
        List<SpendDimension> dimensions = dimensions(groupBy);
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

    /** An ISO instant or a date (its UTC midnight); refused naming {@code field} otherwise. */
    static Instant instant(String field, String value) {
        try {
            return value.length() == 10
                    ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw RequestRejected.invalid(
                    field,
                    field + " must be an instant like 2026-11-20T00:00:00Z or a date like 2026-11-20, not '" + value
                            + "'");
        }
    }

    private static List<SpendDimension> dimensions(String groupBy) {
        if (groupBy == null || groupBy.isBlank()) {
            return List.of();
        }
        List<SpendDimension> dimensions = new ArrayList<>();
        for (String name : groupBy.split(",")) {
            String trimmed = name.trim();
            SpendDimension d = SpendDimension.fromParameter(trimmed)
                    .orElseThrow(() -> RequestRejected.invalid(
                            "groupBy",
                            "groupBy '" + trimmed + "' is not one of "
                                    + Arrays.stream(SpendDimension.values())
                                            .map(SpendDimension::parameterName)
                                            .toList()));
            if (dimensions.contains(d)) {
                throw RequestRejected.invalid("groupBy", "groupBy names " + trimmed + " twice");
            }
            dimensions.add(d);
        }
        return dimensions;
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
