package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_TAGS;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * What a worker asks before an AI call: who is calling (process instance coordinates), what kind of task, and how
 * big the call may get. The same {@code idempotencyKey} always yields the same decision.
 */
public record DecisionRequest(
        @NotBlank @Name String idempotencyKey,
        @NotBlank @Name String project,
        @NotBlank @Name String bpmnProcessId,
        Long processDefinitionKey,
        @NotNull Long processInstanceKey,
        @NotBlank @Name String elementId,
        @NotNull Long elementInstanceKey,
        Long jobKey,
        @NotBlank @Name String taskKind,
        @Name String modelHint,
        @PositiveOrZero Integer estimatedInputTokens,
        @Min(1) Integer maxOutputTokens,
        @Size(max = MAX_TAGS) Map<@Name String, @NotNull @Name String> tags) {

    public DecisionRequest {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** This request under another idempotency key. */
    public DecisionRequest withIdempotencyKey(String key) {
        return new DecisionRequest(
                key,
                project,
                bpmnProcessId,
                processDefinitionKey,
                processInstanceKey,
                elementId,
                elementInstanceKey,
                jobKey,
                taskKind,
                modelHint,
                estimatedInputTokens,
                maxOutputTokens,
                tags);
    }
}
