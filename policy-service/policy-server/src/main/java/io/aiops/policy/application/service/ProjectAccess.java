package io.aiops.policy.application.service;

import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RequestRejected;

/** Refuses requests for data outside the projects of the caller's API key. */
final class ProjectAccess {

    private ProjectAccess() {}

    /** @param project the data's project, null for organisation-wide data */
    static void require(ApiPrincipal actor, String project, String field) {
        if (!actor.mayAccess(project)) {
            throw new RequestRejected(
                    RequestRejected.Kind.FORBIDDEN,
                    field,
                    project == null
                            ? "this API key is limited to projects " + actor.projects()
                                    + " and may not access organisation-wide data"
                            : "this API key may not access project " + project);
        }
    }
}
