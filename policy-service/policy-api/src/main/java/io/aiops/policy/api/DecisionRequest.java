package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_TAGS;

import io.aiops.core.ProcessCoordinates;
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

    /**
     * The request for a call at {@code where} (on the wire its members stay top-level fields, as older workers send
     * them; the definition version and tenant are not part of the request).
     */
    public static DecisionRequest of(
            String idempotencyKey,
            String project,
            ProcessCoordinates where,
            String taskKind,
            String modelHint,
            Integer estimatedInputTokens,
            Integer maxOutputTokens,
            Map<String, String> tags) {
        return new DecisionRequest(
                idempotencyKey,
                project,
                where.bpmnProcessId(),
                where.processDefinitionKey(),
                where.processInstanceKey(),
                where.elementId(),
                where.elementInstanceKey(),
                where.jobKey(),
                taskKind,
                modelHint,
                estimatedInputTokens,
                maxOutputTokens,
                tags);
    }

    /** Where the call happens. */
    public ProcessCoordinates coordinates() {
        return new ProcessCoordinates(
                bpmnProcessId,
                processDefinitionKey,
                null,
                processInstanceKey,
                elementId,
                elementInstanceKey,
                jobKey,
                null);
    }

    /** This request under another idempotency key. */
    public DecisionRequest withIdempotencyKey(String key) {
        return of(key, project, coordinates(), taskKind, modelHint, estimatedInputTokens, maxOutputTokens, tags);
    }
}
