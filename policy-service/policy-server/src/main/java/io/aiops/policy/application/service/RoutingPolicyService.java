package io.aiops.policy.application.service;

import io.aiops.policy.api.RequestLimits;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.in.RoutingPolicyUseCase;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.application.port.out.RoutingPolicyStore;
import java.time.Clock;
import org.springframework.transaction.annotation.Transactional;

/** Defines routing policies; every candidate must be a catalog model so decisions can price it. */
public class RoutingPolicyService implements RoutingPolicyUseCase {

    private final RoutingPolicyStore policies;
    private final CatalogStore catalog;
    private final AuditRecorder audit;
    private final Clock clock;
    private final DecisionDefinitions definitions;

    public RoutingPolicyService(
            RoutingPolicyStore policies,
            CatalogStore catalog,
            AuditRecorder audit,
            Clock clock,
            DecisionDefinitions definitions) {
        this.policies = policies;
        this.catalog = catalog;
        this.audit = audit;
        this.clock = clock;
        this.definitions = definitions;
    }

    @Override
    @Transactional
    public RoutingPolicy putPolicy(String id, RoutingPolicy policy, ApiPrincipal actor) {
        if (policy == null) {
            throw RequestRejected.invalid(null, "a routing policy is required");
        }
        ProjectAccess.require(actor, blankToNull(policy.project()), "project");
        RoutingPolicy before = policies.findById(id).orElse(null);
        if (before != null) {
            ProjectAccess.require(actor, before.project(), "id");
        }
        CatalogService.requireSame("id", id, policy.id());
        if (policy.blocks() && !policy.candidates().isEmpty()) {
            throw RequestRejected.invalid(
                    "candidates", "a policy with a blockReason blocks the calls it matches: it names no candidates");
        }
        if (!policy.blocks() && policy.candidates().isEmpty()) {
            throw RequestRejected.invalid(
                    "candidates", "name at least one candidate, or give a blockReason to block the calls it matches");
        }
        if (policy.blocks()
                && policy.blockReason().codePointCount(0, policy.blockReason().length())
                        > RoutingPolicy.MAX_BLOCK_REASON_CHARS) {
            throw RequestRejected.invalid(
                    "blockReason",
                    "blockReason has more than " + RoutingPolicy.MAX_BLOCK_REASON_CHARS + " characters; shorten it");
        }
        if (policy.blocks() && !RequestLimits.printable(policy.blockReason())) {
            throw RequestRejected.invalid(
                    "blockReason", "blockReason must not contain control characters or unpaired surrogates");
        }
        // ranges of the candidates are the request's Bean Validation rules; here: is each one priced?
        for (int i = 0; i < policy.candidates().size(); i++) {
            RoutingPolicy.Target target = policy.candidates().get(i);
            String prefix = "candidates[" + i + "]";
            if (catalog.find(target.provider(), target.model()).isEmpty()) {
                throw new RequestRejected(
                        RequestRejected.Kind.UNKNOWN_MODEL,
                        prefix + ".model",
                        "model " + target.provider() + "/" + target.model() + " is not in the catalog");
            }
        }
        definitions.routingPoliciesChanged();
        policies.upsert(new RoutingPolicy(
                id,
                blankToNull(policy.project()),
                blankToNull(policy.taskKind()),
                policy.candidates(),
                policy.blockReason()));
        RoutingPolicy after = getPolicy(id, actor);
        audit.policyChange(actor, after.project(), "routing-policy", id, before, after, clock.instant());
        return after;
    }

    @Override
    @Transactional(readOnly = true)
    public RoutingPolicy getPolicy(String id, ApiPrincipal actor) {
        RoutingPolicy policy =
                policies.findById(id).orElseThrow(() -> RequestRejected.notFound("no routing policy " + id));
        ProjectAccess.require(actor, policy.project(), "id");
        return policy;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
