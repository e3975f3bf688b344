package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_SERVICE_TIERS;
import static io.aiops.policy.api.RequestLimits.MAX_TOKENS;

import com.fasterxml.jackson.annotation.JsonCreator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * A catalog entry: USD per token for each token class. Optional prices fall back to the input (cache) or output
 * (reasoning) price. A model past its {@code deprecationDate} is no longer routed to. When a call's input exceeds
 * {@code tierThresholdInputTokens}, its uncached input and its output are priced at the {@code ...AboveTier} prices
 * (where set), as providers do for long contexts. Every change creates a new price {@code version} in force from
 * {@code effectiveFrom}; calls are priced with the version in force when they were decided. {@code version} is set
 * by the server, and so is {@code effectiveFrom} (the time of the change) unless a PUT gives a future instant: the
 * price is then scheduled (a price that changes on a known day) and becomes current on its own then. Cache writes kept for an hour are priced at {@code cacheWrite1hPerToken}
 * (default: the cache-write price), and a call a provider billed at another service tier ({@code flex},
 * {@code priority}, ...) at that tier's prices in {@code serviceTiers} (each one optional, defaulting to the plain
 * price); a tier not listed is priced as the default tier. Above the long-context tier, cache reads and cache writes
 * take {@code cacheReadPerTokenAboveTier} and {@code cacheWritePerTokenAboveTier} where set (1-hour writes too).
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
        Instant effectiveFrom,
        @PositiveOrZero BigDecimal cacheWrite1hPerToken,
        @Size(max = MAX_SERVICE_TIERS) Map<@Name String, @NotNull @Valid TierPrices> serviceTiers,
        @PositiveOrZero BigDecimal cacheReadPerTokenAboveTier,
        @PositiveOrZero BigDecimal cacheWritePerTokenAboveTier) {

    @JsonCreator
    public ModelPrice {
        serviceTiers = serviceTiers == null ? Map.of() : Map.copyOf(serviceTiers);
    }

    /** A price without cache prices of their own above the long-context tier. */
    public ModelPrice(
            String provider,
            String model,
            BigDecimal inputPerToken,
            BigDecimal outputPerToken,
            BigDecimal cacheReadPerToken,
            BigDecimal cacheWritePerToken,
            BigDecimal reasoningPerToken,
            LocalDate deprecationDate,
            Long tierThresholdInputTokens,
            BigDecimal inputPerTokenAboveTier,
            BigDecimal outputPerTokenAboveTier,
            String source,
            Integer version,
            Instant effectiveFrom,
            BigDecimal cacheWrite1hPerToken,
            Map<String, TierPrices> serviceTiers) {
        this(
                provider,
                model,
                inputPerToken,
                outputPerToken,
                cacheReadPerToken,
                cacheWritePerToken,
                reasoningPerToken,
                deprecationDate,
                tierThresholdInputTokens,
                inputPerTokenAboveTier,
                outputPerTokenAboveTier,
                source,
                version,
                effectiveFrom,
                cacheWrite1hPerToken,
                serviceTiers,
                null,
                null);
    }

    /** The prices of one service tier; a price left out is the plain one. */
    public record TierPrices(
            @PositiveOrZero BigDecimal inputPerToken,
            @PositiveOrZero BigDecimal outputPerToken,
            @PositiveOrZero BigDecimal cacheReadPerToken) {}

    /** This price with the server's version fields. */
    public ModelPrice withVersion(Integer version, Instant effectiveFrom) {
        return new ModelPrice(
                provider,
                model,
                inputPerToken,
                outputPerToken,
                cacheReadPerToken,
                cacheWritePerToken,
                reasoningPerToken,
                deprecationDate,
                tierThresholdInputTokens,
                inputPerTokenAboveTier,
                outputPerTokenAboveTier,
                source,
                version,
                effectiveFrom,
                cacheWrite1hPerToken,
                serviceTiers,
                cacheReadPerTokenAboveTier,
                cacheWritePerTokenAboveTier);
    }

    /** This price with another deprecation date, without the server's version fields. */
    public ModelPrice withDeprecation(LocalDate date) {
        return new ModelPrice(
                provider,
                model,
                inputPerToken,
                outputPerToken,
                cacheReadPerToken,
                cacheWritePerToken,
                reasoningPerToken,
                date,
                tierThresholdInputTokens,
                inputPerTokenAboveTier,
                outputPerTokenAboveTier,
                source,
                null,
                null,
                cacheWrite1hPerToken,
                serviceTiers,
                cacheReadPerTokenAboveTier,
                cacheWritePerTokenAboveTier);
    }

    /** This price naming another source. */
    public ModelPrice withSource(String source) {
        return new ModelPrice(
                provider,
                model,
                inputPerToken,
                outputPerToken,
                cacheReadPerToken,
                cacheWritePerToken,
                reasoningPerToken,
                deprecationDate,
                tierThresholdInputTokens,
                inputPerTokenAboveTier,
                outputPerTokenAboveTier,
                source,
                version,
                effectiveFrom,
                cacheWrite1hPerToken,
                serviceTiers,
                cacheReadPerTokenAboveTier,
                cacheWritePerTokenAboveTier);
    }

    /** This price under another provider and model name, without the server's version fields. */
    public ModelPrice as(String provider, String model) {
        return new ModelPrice(
                provider,
                model,
                inputPerToken,
                outputPerToken,
                cacheReadPerToken,
                cacheWritePerToken,
                reasoningPerToken,
                deprecationDate,
                tierThresholdInputTokens,
                inputPerTokenAboveTier,
                outputPerTokenAboveTier,
                source,
                null,
                null,
                cacheWrite1hPerToken,
                serviceTiers,
                cacheReadPerTokenAboveTier,
                cacheWritePerTokenAboveTier);
    }

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
        this(
                provider,
                model,
                inputPerToken,
                outputPerToken,
                cacheReadPerToken,
                cacheWritePerToken,
                reasoningPerToken,
                deprecationDate,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
