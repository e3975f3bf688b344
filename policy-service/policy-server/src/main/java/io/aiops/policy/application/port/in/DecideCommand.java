package io.aiops.policy.application.port.in;

import java.util.Map;

/**
 * A request for a decision; field names match the API's. The web adapter has checked it against the Bean Validation
 * rules of {@link io.aiops.policy.api.DecisionRequest} before it gets here.
 */
public record DecideCommand(
        String idempotencyKey,
        String project,
        String bpmnProcessId,
        Long processDefinitionKey,
        Long processInstanceKey,
        String elementId,
        Long elementInstanceKey,
        Long jobKey,
        String taskKind,
        String modelHint,
        Integer estimatedInputTokens,
        Integer maxOutputTokens,
        Map<String, String> tags) {

    public DecideCommand {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
