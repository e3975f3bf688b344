package io.aiops.policy.application.port.in;

import io.aiops.policy.api.CallStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The outcome of a decision's call: every attempt's usage (priced by the server), scores and texts. */
public record RecordOutcomeCommand(
    @NotEmpty List<@NotNull @Valid AttemptCommand> attempts,
    Map<String, BigDecimal> qualityScores,
    String requestText,
    String responseText) {

  public RecordOutcomeCommand {
    qualityScores = qualityScores == null ? Map.of() : Map.copyOf(qualityScores);
  }

  /** One attempt; missing token counts mean zero. */
  public record AttemptCommand(
      @NotBlank String provider,
      @NotBlank String model,
      @PositiveOrZero Long inputTokens,
      @PositiveOrZero Long cachedInputTokens,
      @PositiveOrZero Long cacheWriteInputTokens,
      @PositiveOrZero Long outputTokens,
      @PositiveOrZero Long reasoningTokens,
      @PositiveOrZero Long latencyMs,
      @NotNull CallStatus status,
      String errorClass) {}
}
