package io.aiops.policy.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.Decision;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.ProviderHealth;
import io.aiops.policy.api.ProviderHealth.CircuitState;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Workers report circuit states; the summary shows them and decisions move open models to the end of the chain. */
class ProviderHealthApiTest extends PolicyServerTest {

    @Test
    void anOpenCircuitIsShownAndDemotesItsModelUntilAWorkerReportsItClosed() {
        String project = unique("health");
        String primary = unique("primary");
        String fallback = unique("fallback");
        routeProjectToBoth(project, primary, fallback);
        Instant now = CLOCK.instant();

        worker.reportProviderHealth(new ProviderHealth("acme", primary, CircuitState.OPEN, "worker-1", now));
        assertThat(stateOf(primary)).isEqualTo(CircuitState.OPEN);
        assertThat(modelsOf(worker.decide(request(project, "classify", 100, 10))))
                .containsExactly(fallback, primary);

        // a report that overtook a newer one on the wire changes nothing
        worker.reportProviderHealth(
                new ProviderHealth("acme", primary, CircuitState.CLOSED, "worker-1", now.minusSeconds(5)));
        assertThat(stateOf(primary)).isEqualTo(CircuitState.OPEN);

        worker.reportProviderHealth(
                new ProviderHealth("acme", primary, CircuitState.CLOSED, "worker-1", now.plusSeconds(30)));
        assertThat(stateOf(primary)).isEqualTo(CircuitState.CLOSED);
        assertThat(modelsOf(worker.decide(request(project, "classify", 100, 10))))
                .containsExactly(primary, fallback);
    }

    @Test
    void oneWorkersOpenCircuitCountsUntilItsReportIsStale() {
        String project = unique("health");
        String primary = unique("primary");
        String fallback = unique("fallback");
        routeProjectToBoth(project, primary, fallback);
        Instant now = CLOCK.instant();
        worker.reportProviderHealth(new ProviderHealth("acme", primary, CircuitState.CLOSED, "worker-a", now));
        worker.reportProviderHealth(new ProviderHealth("acme", primary, CircuitState.OPEN, "worker-b", now));
        assertThat(viewer.providerHealth())
                .filteredOn(h -> h.model().equals(primary))
                .singleElement()
                .satisfies(h -> {
                    assertThat(h.state()).isEqualTo(CircuitState.OPEN);
                    assertThat(h.reporter()).isEqualTo("worker-b");
                });

        CLOCK.advance(Duration.ofMinutes(6));
        assertThat(stateOf(primary)).isEqualTo(CircuitState.CLOSED);
        assertThat(modelsOf(worker.decide(request(project, "classify", 100, 10))))
                .containsExactly(primary, fallback);
    }

    @Test
    void reportsAreValidatedAndOnlyWorkersAndAdminsMayPost() {
        PolicyServiceException missingState = catchThrowableOfType(
                PolicyServiceException.class,
                () -> worker.reportProviderHealth(new ProviderHealth("acme", "m", null, "w", CLOCK.instant())));
        assertThat(missingState.status()).isEqualTo(400);
        assertThat(missingState.field()).isEqualTo("state");
        PolicyServiceException future = catchThrowableOfType(
                PolicyServiceException.class,
                () -> worker.reportProviderHealth(new ProviderHealth(
                        "acme", "m", CircuitState.OPEN, "w", CLOCK.instant().plus(Duration.ofHours(1)))));
        assertThat(future.field()).isEqualTo("observedAt");
        for (Instant past : List.of(CLOCK.instant().minus(Duration.ofDays(2)), Instant.MIN, Instant.EPOCH)) {
            PolicyServiceException stale = catchThrowableOfType(
                    PolicyServiceException.class,
                    () -> worker.reportProviderHealth(new ProviderHealth("acme", "m", CircuitState.OPEN, "w", past)));
            assertThat(stale.status()).as(past.toString()).isEqualTo(400);
            assertThat(stale.field()).isEqualTo("observedAt");
        }
        PolicyServiceException viewerPost = catchThrowableOfType(
                PolicyServiceException.class,
                () -> viewer.reportProviderHealth(
                        new ProviderHealth("acme", "m", CircuitState.OPEN, "w", CLOCK.instant())));
        assertThat(viewerPost.status()).isEqualTo(403);
    }

    private void routeProjectToBoth(String project, String first, String second) {
        for (String model : List.of(first, second)) {
            admin.putModel(new ModelPrice(
                    "acme", model, new BigDecimal("0.000001"), new BigDecimal("0.000002"), null, null, null, null));
        }
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"),
                project,
                null,
                List.of(
                        new RoutingPolicy.Target("acme", first, null),
                        new RoutingPolicy.Target("acme", second, null))));
    }

    private CircuitState stateOf(String model) {
        return viewer.providerHealth().stream()
                .filter(h -> h.model().equals(model))
                .findFirst()
                .orElseThrow()
                .state();
    }

    private static List<String> modelsOf(Decision decision) {
        return decision.candidates().stream().map(Decision.Candidate::model).toList();
    }
}
