package io.aiops.policy.domain;

import java.util.List;

/**
 * A routing policy as routing reads it: the calls it matches (project and task kind; null matches any) and either the
 * models that serve them in failover order or the reason it blocks them.
 */
public record RoutingRule(String id, String project, String taskKind, List<Target> targets, String blockReason) {

    public RoutingRule {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** A rule routing to these models, in failover order. */
    public RoutingRule(String id, String project, String taskKind, List<Target> targets) {
        this(id, project, taskKind, targets, null);
    }

    /** A rule blocking the calls it matches, giving {@code reason} in each denial. */
    public static RoutingRule blocking(String id, String project, String taskKind, String reason) {
        return new RoutingRule(id, project, taskKind, List.of(), reason);
    }

    public boolean blocks() {
        return blockReason != null;
    }

    /** One model in the failover chain; a null time-out is the router's default. */
    public record Target(String provider, String model, Long timeoutMs) {}
}
