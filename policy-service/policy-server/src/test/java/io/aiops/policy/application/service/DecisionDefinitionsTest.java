package io.aiops.policy.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.application.port.out.RoutingPolicyStore;
import io.aiops.policy.domain.RoutingRule;
import io.aiops.policy.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Definitions are read once per TTL on the injected clock, and again at once after a change on this instance. */
class DecisionDefinitionsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final RoutingPolicyStore policies = mock(RoutingPolicyStore.class);
    private final CatalogStore catalog = mock(CatalogStore.class);
    private final BudgetStore budgets = mock(BudgetStore.class);

    private static RoutingPolicy policy(String id) {
        return new RoutingPolicy(id, "p", null, List.of(new RoutingPolicy.Target("acme", "m", null)));
    }

    @Test
    void reusesTheDefinitionsWithinTheTtlAndReadsThemAgainAfterIt() {
        when(policies.findAll()).thenReturn(List.of(policy("a")), List.of(policy("b")));
        DecisionDefinitions definitions =
                new DecisionDefinitions(policies, catalog, budgets, clock, Duration.ofSeconds(1));

        assertThat(definitions.routingPolicies()).extracting(RoutingRule::id).containsExactly("a");
        clock.advance(Duration.ofMillis(999));
        assertThat(definitions.routingPolicies()).extracting(RoutingRule::id).containsExactly("a");
        verify(policies, times(1)).findAll();

        clock.advance(Duration.ofMillis(1));
        assertThat(definitions.routingPolicies()).extracting(RoutingRule::id).containsExactly("b");
        verify(policies, times(2)).findAll();
    }

    @Test
    void aChangeOnThisInstanceIsSeenByTheNextDecision() {
        when(policies.findAll()).thenReturn(List.of(policy("a")), List.of(policy("b")));
        when(budgets.definitions()).thenReturn(new BudgetStore.Definitions(1, List.of()));
        DecisionDefinitions definitions =
                new DecisionDefinitions(policies, catalog, budgets, clock, Duration.ofMinutes(5));
        definitions.routingPolicies();
        definitions.budgets();

        definitions.routingPoliciesChanged();

        assertThat(definitions.routingPolicies()).extracting(RoutingRule::id).containsExactly("b");
        definitions.budgets();
        verify(budgets, times(1)).definitions();
    }

    @Test
    void aZeroTtlReadsOnEveryDecision() {
        when(catalog.findAll()).thenReturn(List.of());
        DecisionDefinitions definitions = new DecisionDefinitions(policies, catalog, budgets, clock, Duration.ZERO);

        definitions.prices();
        definitions.prices();

        verify(catalog, times(2)).findAll();
    }
}
