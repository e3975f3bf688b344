package io.aiops.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.ProviderHealth;
import io.aiops.policy.api.ProviderHealth.CircuitState;
import io.aiops.policy.domain.call.Candidate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CircuitHealthTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);

    @Test
    void anyFreshOpenReportWinsThenHalfOpenThenTheLatestReport() {
        List<ProviderHealth> summary = CircuitHealth.summarise(
                List.of(
                        report("m1", CircuitState.CLOSED, "a", NOW),
                        report("m1", CircuitState.OPEN, "b", NOW.minusSeconds(60)),
                        report("m2", CircuitState.HALF_OPEN, "a", NOW.minusSeconds(10)),
                        report("m2", CircuitState.CLOSED, "b", NOW),
                        report("m3", CircuitState.OPEN, "a", NOW.minus(TTL)),
                        report("m4", CircuitState.CLOSED, "a", NOW)),
                NOW,
                TTL);

        assertThat(summary)
                .extracting(ProviderHealth::model, ProviderHealth::state, ProviderHealth::reporter)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("m1", CircuitState.OPEN, "b"),
                        org.assertj.core.groups.Tuple.tuple("m2", CircuitState.HALF_OPEN, "a"),
                        // exactly one TTL old is stale
                        org.assertj.core.groups.Tuple.tuple("m3", CircuitState.CLOSED, "a"),
                        org.assertj.core.groups.Tuple.tuple("m4", CircuitState.CLOSED, "a"));
        assertThat(CircuitHealth.openModels(summary)).containsExactly("acme/m1");
    }

    @Test
    void openModelsMoveToTheEndKeepingTheirOrder() {
        List<Candidate> chain = List.of(candidate("a"), candidate("b"), candidate("c"), candidate("d"));
        assertThat(CircuitHealth.demoteOpen(chain, Set.of("acme/a", "acme/c")))
                .extracting(Candidate::model)
                .containsExactly("b", "d", "a", "c");
        assertThat(CircuitHealth.demoteOpen(chain, Set.of())).isSameAs(chain);
        assertThat(CircuitHealth.demoteOpen(chain, Set.of("other/a")))
                .extracting(Candidate::model)
                .containsExactly("a", "b", "c", "d");
    }

    private static ProviderHealth report(String model, CircuitState state, String reporter, Instant at) {
        return new ProviderHealth("acme", model, state, reporter, at);
    }

    private static Candidate candidate(String model) {
        return new Candidate("acme", model, 100, 1000L);
    }
}
