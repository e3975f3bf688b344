package io.aiops.policy.application.port.in;

import io.aiops.core.ProcessCoordinates;
import java.util.Map;

/**
 * A request for a decision: who asks where in which workflow, and what. The web adapter has checked it against the Bean Validation
 * rules of {@link io.aiops.policy.api.DecisionRequest} before it gets here.
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
}
