package io.aiops.policy.application.port.in;

import io.aiops.policy.api.PolicyBundle;
import io.aiops.policy.api.PolicyBundleDiff;

/** Policies as one document: applied all or nothing through the use cases that own each kind, and exported. */
public interface PolicyBundleUseCase {

    /**
     * Applies every object of the bundle in one transaction, each through the use case of its kind (with that use
     * case's rules and access checks), and says what changed; one refused object refuses the whole bundle, naming its
     * field by its path in the bundle. With {@code dryRun} the same work is rolled back. With {@code prune}, live
     * objects the bundle does not list are removed where their kind can be removed (alert rules) and listed as kept
     * otherwise.
     */
    PolicyBundleDiff apply(PolicyBundle bundle, boolean dryRun, boolean prune, ApiPrincipal actor);

    /** What is live, as far as the actor may see it, as a bundle that applies back unchanged. */
    PolicyBundle current(ApiPrincipal actor);
}
