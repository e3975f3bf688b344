package io.aiops.policy.application.service;

import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.application.port.out.RoutingPolicyStore;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.RoutingRule;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The routing policies, catalog prices and budget definitions a decision needs, read at most {@code ttl} ago. A change
 * made through this instance's API invalidates its copy at once; another replica sees it within {@code ttl}, except
 * budgets: a decision booked with budget definitions older than the committed ones is refused as stale. Only the
 * definitions are cached: the money in a budget window, and the HARD limit the booking compares it with, are read by
 * the booking statement itself, so a lowered limit applies to the very next decision on every replica.
 */
public class DecisionDefinitions {

    private final ShortLivedValue<List<RoutingRule>> routingPolicies;
    private final ShortLivedValue<List<ModelPrice>> prices;
    private final ShortLivedValue<BudgetStore.Definitions> budgets;

    /** @param ttl how long a copy is used; zero reads the database on every decision */
    public DecisionDefinitions(
            RoutingPolicyStore routingPolicies, CatalogStore catalog, BudgetStore budgets, Clock clock, Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("the definitions cache TTL must not be negative: " + ttl);
        }
        this.routingPolicies = new ShortLivedValue<>(
                clock,
                ttl,
                () -> routingPolicies.findAll().stream()
                        .map(ApiMapping::toDomain)
                        .toList());
        this.prices = new ShortLivedValue<>(clock, ttl, () -> List.copyOf(catalog.findAll()));
        this.budgets = new ShortLivedValue<>(clock, ttl, budgets::definitions);
    }

    public List<RoutingRule> routingPolicies() {
        return routingPolicies.get();
    }

    public List<ModelPrice> prices() {
        return prices.get();
    }

    public List<BudgetRule> budgets() {
        return budgets.get().rules();
    }

    /**
     * The budgets with the version they were read at; a booking made with an older version than the committed one is
     * refused as stale, so a budget defined through another replica is never missed by a HARD check.
     */
    public BudgetStore.Definitions budgetDefinitions() {
        return budgets.get();
    }

    /** Call when a routing policy changed. */
    public void routingPoliciesChanged() {
        routingPolicies.invalidate();
    }

    /** Call when a catalog price changed. */
    public void pricesChanged() {
        prices.invalidate();
    }

    /** Call when a budget definition changed. */
    public void budgetsChanged() {
        budgets.invalidate();
    }
}
