package io.aiops.policy.application.port.in;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.Map;

/** A request for a decision, with the rules every request must satisfy; field names match the API's. */
public record DecideCommand(
    @NotBlank String idempotencyKey,
    @NotBlank String project,
    @NotBlank String bpmnProcessId,
    Long processDefinitionKey,
    @NotNull Long processInstanceKey,
    @NotBlank String elementId,
    @NotNull Long elementInstanceKey,
    Long jobKey,
    @NotBlank String taskKind,
    String modelHint,
    @PositiveOrZero Integer estimatedInputTokens,
    @Min(1) Integer maxOutputTokens,
    Map<String, String> tags) {

  public DecideCommand {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
