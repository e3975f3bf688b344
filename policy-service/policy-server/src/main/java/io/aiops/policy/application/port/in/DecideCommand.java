package io.aiops.policy.application.port.in;

import io.aiops.core.ProcessCoordinates;
import java.util.Map;

/**
 * A request for a decision: who asks where in which workflow, and what. The web adapter has checked it against the Bean Validation
 * rules of {@link io.aiops.policy.api.DecisionRequest} before it gets here. A decision is stored with the command it
 * answered, its defaults applied.
 */
public record DecideCommand(
        String idempotencyKey,
        String project,
        ProcessCoordinates where,
        String taskKind,
        String modelHint,
        Integer estimatedInputTokens,
        Integer maxOutputTokens,
        Map<String, String> tags) {

    public DecideCommand {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** This request under another idempotency key. */
    public DecideCommand withIdempotencyKey(String key) {
        return new DecideCommand(key, project, where, taskKind, modelHint, estimatedInputTokens, maxOutputTokens, tags);
    }
}
