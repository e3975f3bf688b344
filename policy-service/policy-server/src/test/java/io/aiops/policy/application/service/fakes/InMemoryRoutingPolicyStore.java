package io.aiops.policy.application.service.fakes;

import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.application.port.out.RoutingPolicyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Routing policies in a map, listed by id. */
public final class InMemoryRoutingPolicyStore implements RoutingPolicyStore {

    private final Map<String, RoutingPolicy> policies = new TreeMap<>();

    @Override
    public List<RoutingPolicy> findAll() {
        return List.copyOf(policies.values());
    }

    @Override
    public Optional<RoutingPolicy> findById(String id) {
        return Optional.ofNullable(policies.get(id));
    }

    @Override
    public void upsert(RoutingPolicy policy) {
        policies.put(policy.id(), policy);
    }
}
