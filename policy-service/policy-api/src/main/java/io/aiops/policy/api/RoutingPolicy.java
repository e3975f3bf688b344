package io.aiops.policy.api;

import java.util.List;

/**
 * Which models serve a task, in failover order. Matches on project and task kind; an unset field matches anything.
 * The most specific policy wins.
 */
public record RoutingPolicy(String id, String project, String taskKind, List<Target> candidates) {

  public RoutingPolicy {
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
  }

  /** One model in the failover chain. */
  public record Target(String provider, String model, Long timeoutMs) {}
}
