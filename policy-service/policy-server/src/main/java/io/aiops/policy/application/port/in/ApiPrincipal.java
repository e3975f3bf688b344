package io.aiops.policy.application.port.in;

import io.aiops.policy.api.ApiRole;
import java.util.List;
import java.util.UUID;

/** The holder of a valid API key: its role and the projects it may act for (empty = all). */
public record ApiPrincipal(UUID keyId, String name, ApiRole role, List<String> projects) {

    public ApiPrincipal {
        projects = projects == null ? List.of() : List.copyOf(projects);
    }

    /** The service itself, for work nobody asked for over the API (the retention purge). */
    public static final ApiPrincipal SYSTEM = new ApiPrincipal(null, "system", ApiRole.ADMIN, List.of());

    public boolean mayActFor(String project) {
        return projects.isEmpty() || projects.contains(project);
    }

    /**
     * Whether this key may see or change data of the project; data of no project (organisation-wide budgets and
     * routing policies, API keys of every project) needs a key that is not limited to projects.
     */
    public boolean mayAccess(String projectOrNull) {
        return projectOrNull == null ? projects.isEmpty() : mayActFor(projectOrNull);
    }

    /** Whether this key covers every project of a key limited to {@code others} (empty = every project). */
    public boolean covers(List<String> others) {
        return projects.isEmpty() || (!others.isEmpty() && projects.containsAll(others));
    }
}
