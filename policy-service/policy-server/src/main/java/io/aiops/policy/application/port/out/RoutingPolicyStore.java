package io.aiops.policy.application.port.out;

import io.aiops.policy.api.RoutingPolicy;
import java.util.List;
import java.util.Optional;

/** Stores routing policies. */
public interface RoutingPolicyStore {

    List<RoutingPolicy> findAll();

    Optional<RoutingPolicy> findById(String id);

    void upsert(RoutingPolicy policy);
}
