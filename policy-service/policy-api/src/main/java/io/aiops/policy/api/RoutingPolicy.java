package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_CANDIDATES;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Which models serve a task, in failover order. Matches on project and task kind; an unset field matches anything.
 * The most specific policy wins.
 */
public record RoutingPolicy(
        @Name String id,
        @Name String project,
        @Name String taskKind,
        @NotEmpty @Size(max = MAX_CANDIDATES) List<@NotNull @Valid Target> candidates) {

    public RoutingPolicy {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    /** One model in the failover chain. */
    public record Target(
            @NotBlank @Name String provider,
            @NotBlank @Name String model,
            @Positive Long timeoutMs) {}
}
