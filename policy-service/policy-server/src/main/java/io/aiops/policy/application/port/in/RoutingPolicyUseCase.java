package io.aiops.policy.application.port.in;

import io.aiops.policy.api.RoutingPolicy;

/** Defines which models serve which tasks. */
public interface RoutingPolicyUseCase {

    RoutingPolicy putPolicy(String id, RoutingPolicy policy, ApiPrincipal actor);

    RoutingPolicy getPolicy(String id, ApiPrincipal actor);
}
