package io.aiops.policy.application.port.in;

import io.aiops.policy.api.CallStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The outcome of a decision's call: every attempt's usage (priced by the server), scores and texts. */
public record RecordOutcomeCommand(
    @NotEmpty @Size(max = MAX_ATTEMPTS) List<@NotNull @Valid AttemptCommand> attempts,
    @Size(max = MAX_SCORES) Map<@Size(max = DecideCommand.MAX_NAME) String, BigDecimal> qualityScores,
    @Size(max = MAX_TEXT_CHARS) String requestText,
    @Size(max = MAX_TEXT_CHARS) String responseText) {

  /** Longest request or response text accepted, in characters. */
  public static final int MAX_TEXT_CHARS = 200_000;

  /** Most attempts per call. */
  public static final int MAX_ATTEMPTS = 100;

  /** Most quality scores per call. */
  public static final int MAX_SCORES = 50;

  public RecordOutcomeCommand {
    qualityScores = qualityScores == null ? Map.of() : Map.copyOf(qualityScores);
  }

  /** One attempt; missing token counts mean zero. */
  public record AttemptCommand(
      @NotBlank @Size(max = DecideCommand.MAX_NAME) String provider,
      @NotBlank @Size(max = DecideCommand.MAX_NAME) String model,
      @PositiveOrZero Long inputTokens,
      @PositiveOrZero Long cachedInputTokens,
      @PositiveOrZero Long cacheWriteInputTokens,
      @PositiveOrZero Long outputTokens,
      @PositiveOrZero Long reasoningTokens,
      @PositiveOrZero Long latencyMs,
      @NotNull CallStatus status,
      @Size(max = DecideCommand.MAX_NAME) String errorClass) {}
}
