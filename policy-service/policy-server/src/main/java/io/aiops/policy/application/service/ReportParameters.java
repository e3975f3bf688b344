package io.aiops.policy.application.service;

import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.domain.SpendDimension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How every report reads its query parameters, stated once: a time range ({@code from}/{@code to} as instants or
 * dates, by default the last {@value #DEFAULT_DAYS} days, at most {@value #MAX_DAYS}) and the {@code groupBy}
 * dimensions.
 */
final class ReportParameters {

    static final int DEFAULT_DAYS = 7;
    static final int MAX_DAYS = 400;

    /** A report's range, {@code [from, to)}. */
    record Range(Instant from, Instant to) {}

    private ReportParameters() {}

    /** The range; {@code to} defaults to now, {@code from} to {@value #DEFAULT_DAYS} days before {@code to}. */
    static Range range(String from, String to, Clock clock) {
        Instant end = to == null || to.isBlank() ? clock.instant() : instant("to", to);
        Instant start =
                from == null || from.isBlank() ? end.minus(Duration.ofDays(DEFAULT_DAYS)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw RequestRejected.invalid("from", "from must be before to");
        }
        if (Duration.between(start, end).compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
            throw RequestRejected.invalid("from", "a report covers at most " + MAX_DAYS + " days");
        }
        return new Range(start, end);
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

    /** The comma-separated dimensions of {@code groupBy}, each once; none when absent. */
    static List<SpendDimension> dimensions(String groupBy) {
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
}
