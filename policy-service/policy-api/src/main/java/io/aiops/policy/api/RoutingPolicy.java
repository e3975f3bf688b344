package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_CANDIDATES;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Which models serve a task, in failover order. Matches on project and task kind; an unset field matches anything.
 * The most specific policy wins.
 *
 * <p>A policy with a {@code blockReason} instead of candidates blocks the AI calls it matches: they are denied with
 * {@code POLICY_DENIED} (BPMN error {@code AI_POLICY_DENIED}) and the reason, whatever model the task hints at. A policy
 * names candidates or a block reason, never both and never neither (the service says which field is wrong).
 */
public record RoutingPolicy(
        @Name String id,
        @Name String project,
        @Name String taskKind,
        @Size(max = MAX_CANDIDATES) List<@NotNull @Valid Target> candidates,
        @JsonInclude(JsonInclude.Include.NON_NULL) String blockReason) {

    /**
     * The longest block reason kept, in characters (code points, as the database counts them); it is quoted in every
     * denial the policy causes.
     */
    public static final int MAX_BLOCK_REASON_CHARS = 500;

    public RoutingPolicy {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        blockReason = blockReason == null || blockReason.isBlank() ? null : blockReason.strip();
    }

    /** A routing policy: these candidates, in failover order. */
    public RoutingPolicy(String id, String project, String taskKind, List<Target> candidates) {
        this(id, project, taskKind, candidates, null);
    }

    /** A policy that blocks the AI calls it matches, giving {@code reason} in each denial. */
    public static RoutingPolicy blocking(String id, String project, String taskKind, String reason) {
        return new RoutingPolicy(id, project, taskKind, List.of(), reason);
    }

    /** Whether the policy blocks the calls it matches instead of routing them. */
    @JsonIgnore
    public boolean blocks() {
        return blockReason != null;
    }

    /** One model in the failover chain. */
    public record Target(
            @NotBlank @Name String provider,
            @NotBlank @Name String model,
            @Positive Long timeoutMs) {}
}
