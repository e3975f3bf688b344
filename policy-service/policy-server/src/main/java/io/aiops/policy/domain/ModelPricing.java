package io.aiops.policy.domain;

import io.aiops.policy.api.ModelPrice;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/** Prices a catalog model's token usage exactly and tells whether the model may still be routed to. */
public final class ModelPricing {

  private final ModelPrice price;

  public ModelPricing(ModelPrice price) {
    this.price = Objects.requireNonNull(price, "price");
    Objects.requireNonNull(price.inputPerToken(), "inputPerToken");
    Objects.requireNonNull(price.outputPerToken(), "outputPerToken");
  }

  public ModelPrice price() {
    return price;
  }

  public String provider() {
    return price.provider();
  }

  public String model() {
    return price.model();
  }

  /**
   * Cost of one attempt: uncached input at the input price, cache reads and writes at their own prices (default:
   * input), visible output at the output price, reasoning at its own price (default: output). Above the long-context
   * threshold the input and output prices of the tier apply (cache prices stay). No rounding.
   */
  public BigDecimal costOf(TokenUsage usage) {
    boolean tiered = aboveTier(usage.inputTokens());
    return inputPrice(tiered).multiply(BigDecimal.valueOf(usage.uncachedInputTokens()))
        .add(cacheReadPrice().multiply(BigDecimal.valueOf(usage.cachedInputTokens())))
        .add(cacheWritePrice().multiply(BigDecimal.valueOf(usage.cacheWriteInputTokens())))
        .add(outputPrice(tiered).multiply(BigDecimal.valueOf(usage.visibleOutputTokens())))
        .add(reasoningPrice(tiered).multiply(BigDecimal.valueOf(usage.reasoningTokens())));
  }

  /**
   * The most a call of this size can cost: every input token at the dearest input price (a cache write costs more
   * than plain input at some providers) and every output token at the dearer of the output and reasoning prices, at
   * the tier's prices when the input is above its threshold.
   */
  public BigDecimal worstCaseCost(long inputTokens, long maxOutputTokens) {
    boolean tiered = aboveTier(inputTokens);
    BigDecimal cacheWorst = cacheWritePrice().max(cacheReadPrice());
    return inputPrice(tiered).max(cacheWorst).multiply(BigDecimal.valueOf(inputTokens))
        .add(outputPrice(tiered).max(reasoningPrice(tiered)).multiply(BigDecimal.valueOf(maxOutputTokens)));
  }

  /** A model is retired from its deprecation date on. */
  public boolean retiredOn(LocalDate day) {
    return price.deprecationDate() != null && !day.isBefore(price.deprecationDate());
  }

  private BigDecimal cacheReadPrice() {
    return price.cacheReadPerToken() != null ? price.cacheReadPerToken() : price.inputPerToken();
  }

  private BigDecimal cacheWritePrice() {
    return price.cacheWritePerToken() != null ? price.cacheWritePerToken() : price.inputPerToken();
  }

  private boolean aboveTier(long inputTokens) {
    return price.tierThresholdInputTokens() != null && inputTokens > price.tierThresholdInputTokens();
  }

  private BigDecimal inputPrice(boolean tiered) {
    return tiered && price.inputPerTokenAboveTier() != null ? price.inputPerTokenAboveTier() : price.inputPerToken();
  }

  private BigDecimal outputPrice(boolean tiered) {
    return tiered && price.outputPerTokenAboveTier() != null ? price.outputPerTokenAboveTier() : price.outputPerToken();
  }

  private BigDecimal reasoningPrice(boolean tiered) {
    return price.reasoningPerToken() != null ? price.reasoningPerToken() : outputPrice(tiered);
  }
}
