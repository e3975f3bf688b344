package io.aiops.policy.api;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A catalog entry: USD per token for each token class. Optional prices fall back to the input (cache) or output
 * (reasoning) price. A model past its {@code deprecationDate} is no longer routed to.
 */
public record ModelPrice(
    String provider,
    String model,
    BigDecimal inputPerToken,
    BigDecimal outputPerToken,
    BigDecimal cacheReadPerToken,
    BigDecimal cacheWritePerToken,
    BigDecimal reasoningPerToken,
    LocalDate deprecationDate) {}
