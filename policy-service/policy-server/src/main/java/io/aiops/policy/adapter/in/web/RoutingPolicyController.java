package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.Name;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RoutingPolicyUseCase;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Routing policies: which models serve which tasks, in failover order. */
@RestController
@RequestMapping("/api/v1/routing-policies/{id}")
class RoutingPolicyController {

    private final RoutingPolicyUseCase policies;

    RoutingPolicyController(RoutingPolicyUseCase policies) {
        this.policies = policies;
    }

    @PutMapping
    RoutingPolicy put(
            @PathVariable @Name String id,
            @Valid @RequestBody RoutingPolicy policy,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return policies.putPolicy(id, policy, principal);
    }

    @GetMapping
    RoutingPolicy get(
            @PathVariable @Name String id,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return policies.getPolicy(id, principal);
    }
}
