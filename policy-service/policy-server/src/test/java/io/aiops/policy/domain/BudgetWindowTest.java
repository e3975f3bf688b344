package io.aiops.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BudgetWindowTest {

    private static final Instant THURSDAY_EVENING = Instant.parse("2026-11-26T23:30:00Z");

    @Test
    void windowsOfEachPeriodInUtc() {
        assertThat(BudgetWindow.containing(THURSDAY_EVENING, BudgetPeriod.DAY, ZoneOffset.UTC))
                .isEqualTo(
                        new BudgetWindow(Instant.parse("2026-11-26T00:00:00Z"), Instant.parse("2026-11-27T00:00:00Z")));
        assertThat(BudgetWindow.containing(THURSDAY_EVENING, BudgetPeriod.WEEK, ZoneOffset.UTC))
                .isEqualTo(
                        new BudgetWindow(Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-30T00:00:00Z")));
        assertThat(BudgetWindow.containing(THURSDAY_EVENING, BudgetPeriod.MONTH, ZoneOffset.UTC))
                .isEqualTo(
                        new BudgetWindow(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")));
    }

    @Test
    void aZoneMovesTheBoundary() {
        // 23:30 UTC is already Friday in Berlin
        assertThat(BudgetWindow.containing(THURSDAY_EVENING, BudgetPeriod.DAY, ZoneId.of("Europe/Berlin"))
                        .start())
                .isEqualTo(Instant.parse("2026-11-26T23:00:00Z"));
    }

    @Test
    void theDayClocksGoBackLastsTwentyFiveHours() {
        // Berlin leaves summer time on 2026-10-25: that day runs from 22:00 UTC the evening before to 23:00 UTC
        BudgetWindow day = BudgetWindow.containing(
                Instant.parse("2026-10-25T12:00:00Z"), BudgetPeriod.DAY, ZoneId.of("Europe/Berlin"));
        assertThat(day)
                .isEqualTo(
                        new BudgetWindow(Instant.parse("2026-10-24T22:00:00Z"), Instant.parse("2026-10-25T23:00:00Z")));
    }
}
