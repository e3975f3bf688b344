package io.aiops.policy.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.Decision.Candidate;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How long a reservation lives: the TTL, or as long as its failover chain may run, within a day. */
class DecisionSettingsTest {

    private final DecisionSettings settings =
            new DecisionSettings(Duration.ofMinutes(15), 1024, Duration.ofSeconds(60));

    private static List<Candidate> chain(int candidates, long timeoutMs) {
        return Collections.nCopies(candidates, new Candidate("acme", "m", 100, timeoutMs));
    }

    @Test
    void aShortChainKeepsTheTtl() {
        // 5 × (2 × 60 s + 31 s) = 12 min 35 s < 15 min
        assertThat(settings.reservationTtlFor(chain(5, 60_000))).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.reservationTtlFor(List.of())).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aLongerChainLivesAsLongAsItMayRunAndACandidateWithoutTimeoutCountsTheDefault() {
        // 7 × (2 × 60 s + 31 s) = 17 min 37 s; a timeout of 0 means the default 60 s
        assertThat(settings.reservationTtlFor(chain(7, 60_000))).isEqualTo(Duration.ofSeconds(7 * 151));
        assertThat(settings.reservationTtlFor(chain(7, 0))).isEqualTo(Duration.ofSeconds(7 * 151));
        DecisionSettings threeAttempts =
                new DecisionSettings(Duration.ofMinutes(15), 1024, Duration.ofSeconds(60), 3, Duration.ofSeconds(10));
        assertThat(threeAttempts.reservationTtlFor(chain(4, 120_000)))
                .isEqualTo(Duration.ofSeconds(4 * (3 * 120 + 10)));
    }

    @Test
    void absurdTimeoutsAreCappedAtADayInsteadOfOverflowing() {
        assertThat(settings.reservationTtlFor(chain(20, Long.MAX_VALUE)))
                .isEqualTo(DecisionSettings.MAX_CHAIN_LIFETIME);
        assertThat(settings.reservationTtlFor(chain(3, 10 * 3_600_000L))).isEqualTo(Duration.ofDays(1));
    }
}
