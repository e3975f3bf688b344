package io.aiops.policy.application.port.in;

import io.aiops.policy.api.ApiRole;
import java.util.List;
import java.util.UUID;

/**
 * The holder of a valid API key: its role and the projects it may act for (empty = all), and the person it says it
 * acts for in this request ({@code onBehalfOf}, null when it says none), which policy-change audit entries record.
 */
public record ApiPrincipal(UUID keyId, String name, ApiRole role, List<String> projects, String onBehalfOf) {

    public ApiPrincipal {
        projects = projects == null ? List.of() : List.copyOf(projects);
    }

    /** A key's holder acting for nobody else. */
    public ApiPrincipal(UUID keyId, String name, ApiRole role, List<String> projects) {
        this(keyId, name, role, projects, null);
    }

    /** The same key, acting for {@code person} in this request. */
    public ApiPrincipal actingFor(String person) {
        return new ApiPrincipal(keyId, name, role, projects, person);
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
