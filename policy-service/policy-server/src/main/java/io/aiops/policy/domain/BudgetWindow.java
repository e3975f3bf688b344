package io.aiops.policy.domain;

import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/** The period window of a budget that contains a given instant: [start, end). Weeks start on Monday (ISO). */
public record BudgetWindow(Instant start, Instant end) {

    public static BudgetWindow containing(Instant instant, BudgetPeriod period, ZoneId zone) {
        LocalDate day = instant.atZone(zone).toLocalDate();
        LocalDate first = switch (period) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
        LocalDate next = switch (period) {
            case DAY -> first.plusDays(1);
            case WEEK -> first.plusWeeks(1);
            case MONTH -> first.plusMonths(1);
        };
        return new BudgetWindow(
                first.atStartOfDay(zone).toInstant(), next.atStartOfDay(zone).toInstant());
    }
}
