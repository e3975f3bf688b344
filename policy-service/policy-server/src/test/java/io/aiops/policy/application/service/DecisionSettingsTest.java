package io.aiops.policy.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.domain.call.Candidate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How long a failover chain may run on one candidate; the booking adds the kept candidates' spans up to the
 * reservation's lifetime (BookDecisionsTest).
 */
class DecisionSettingsTest {

    private final DecisionSettings settings =
            new DecisionSettings(Duration.ofMinutes(15), 1024, Duration.ofSeconds(60));

    @Test
    void aCandidateMayRunItsTimeoutPerAttemptPlusTheWaitsAndOneWithoutTimeoutCountsTheDefault() {
        // 2 x 60 s + 31 s
        assertThat(settings.chainSpanOf(candidate(60_000))).isEqualTo(Duration.ofSeconds(151));
        assertThat(settings.chainSpanOf(candidate(0))).isEqualTo(Duration.ofSeconds(151));
        DecisionSettings threeAttempts =
                new DecisionSettings(Duration.ofMinutes(15), 1024, Duration.ofSeconds(60), 3, Duration.ofSeconds(10));
        assertThat(threeAttempts.chainSpanOf(candidate(120_000))).isEqualTo(Duration.ofSeconds(3 * 120 + 10));
    }

    @Test
    void absurdTimeoutsAreCappedAtADayInsteadOfOverflowing() {
        assertThat(settings.chainSpanOf(candidate(Long.MAX_VALUE))).isEqualTo(DecisionSettings.MAX_CHAIN_LIFETIME);
        assertThat(settings.chainSpanOf(candidate(13 * 3_600_000L))).isEqualTo(Duration.ofDays(1));
    }

    private static Candidate candidate(long timeoutMs) {
        return new Candidate("acme", "m", 100, timeoutMs);
    }
}
