package io.aiops.policy.application.port.in;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** A request for a decision, with the rules every request must satisfy; field names match the API's. */
public record DecideCommand(
    @NotBlank @Size(max = MAX_NAME) String idempotencyKey,
    @NotBlank @Size(max = MAX_NAME) String project,
    @NotBlank @Size(max = MAX_NAME) String bpmnProcessId,
    Long processDefinitionKey,
    @NotNull Long processInstanceKey,
    @NotBlank @Size(max = MAX_NAME) String elementId,
    @NotNull Long elementInstanceKey,
    Long jobKey,
    @NotBlank @Size(max = MAX_NAME) String taskKind,
    @Size(max = MAX_NAME) String modelHint,
    @PositiveOrZero Integer estimatedInputTokens,
    @Min(1) Integer maxOutputTokens,
    @Size(max = MAX_TAGS) Map<@Size(max = MAX_NAME) String, @Size(max = MAX_NAME) String> tags) {

  /** Longest identifier or name accepted. */
  public static final int MAX_NAME = 256;

  /** Most tags per request. */
  public static final int MAX_TAGS = 50;

  public DecideCommand {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
