package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_TOKENS;

import com.fasterxml.jackson.annotation.JsonCreator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A catalog entry: USD per token for each token class. Optional prices fall back to the input (cache) or output
 * (reasoning) price. A model past its {@code deprecationDate} is no longer routed to. When a call's input exceeds
 * {@code tierThresholdInputTokens}, its uncached input and its output are priced at the {@code ...AboveTier} prices
 * (where set), as providers do for long contexts. Every change creates a new price {@code version} in force from
 * {@code effectiveFrom}; calls are priced with the version in force when they were decided. {@code version} and
 * {@code effectiveFrom} are set by the server.
 */
public record ModelPrice(
    @Name String provider,
    @Name String model,
    @NotNull @PositiveOrZero BigDecimal inputPerToken,
    @NotNull @PositiveOrZero BigDecimal outputPerToken,
    @PositiveOrZero BigDecimal cacheReadPerToken,
    @PositiveOrZero BigDecimal cacheWritePerToken,
    @PositiveOrZero BigDecimal reasoningPerToken,
    LocalDate deprecationDate,
    @Positive @Max(MAX_TOKENS) Long tierThresholdInputTokens,
    @PositiveOrZero BigDecimal inputPerTokenAboveTier,
    @PositiveOrZero BigDecimal outputPerTokenAboveTier,
    @Name String source,
    Integer version,
    Instant effectiveFrom) {

  @JsonCreator
  public ModelPrice {}

  /** A flat price (no long-context tier) as an operator sends it. */
  public ModelPrice(
      String provider,
      String model,
      BigDecimal inputPerToken,
      BigDecimal outputPerToken,
      BigDecimal cacheReadPerToken,
      BigDecimal cacheWritePerToken,
      BigDecimal reasoningPerToken,
      LocalDate deprecationDate) {
    this(provider, model, inputPerToken, outputPerToken, cacheReadPerToken, cacheWritePerToken, reasoningPerToken,
        deprecationDate, null, null, null, null, null, null);
  }
}
