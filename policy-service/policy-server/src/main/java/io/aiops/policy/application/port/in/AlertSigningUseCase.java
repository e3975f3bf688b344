package io.aiops.policy.application.port.in;

import io.aiops.policy.api.AlertSigningKey;

/** Hands a project's admins the key their webhook receivers verify alert posts with. */
public interface AlertSigningUseCase {

    /** @param project null for the key of organisation-wide alerts (a key without a project limit only) */
    AlertSigningKey signingKey(String project, ApiPrincipal actor);

    /**
     * Moves the key to its next generation and returns it; posts carry a signature with the previous key too until the
     * overlap has passed. Audited.
     */
    AlertSigningKey rotate(String project, ApiPrincipal actor);
}
