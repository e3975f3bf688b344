package io.aiops.policy.application.port.in;

import io.aiops.policy.api.ApiRole;
import java.util.List;
import java.util.UUID;

/** The holder of a valid API key: its role and the projects it may act for (empty = all). */
public record ApiPrincipal(UUID keyId, String name, ApiRole role, List<String> projects) {

  public ApiPrincipal {
    projects = projects == null ? List.of() : List.copyOf(projects);
  }

  public boolean mayActFor(String project) {
    return projects.isEmpty() || projects.contains(project);
  }
}
