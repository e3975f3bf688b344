package io.aiops.policy.api;

import java.util.Map;

/**
 * What a worker asks before an AI call: who is calling (process instance coordinates), what kind of task, and how
 * big the call may get. The same {@code idempotencyKey} always yields the same decision.
 */
public record DecisionRequest(
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

  public DecisionRequest {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
