package io.aiops.policy.domain;

import io.aiops.core.TokenUsage;
import io.aiops.policy.api.ModelPrice;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
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
     * Cost of one attempt: uncached input at the input price, cache reads and writes at their own prices (default: the
     * input price that applies to the call; 1-hour writes default to the 5-minute write price), visible output at the
     * output price, reasoning at its own price (default: output). Above the long-context threshold the input, output
     * and cache prices of the tier apply where the catalog sets them; a cache class without a tier price keeps its
     * flat price. An attempt billed at a service tier the catalog prices (flex, priority, ...) takes that tier's input,
     * output and cache-read prices where set. No rounding.
     */
    public BigDecimal costOf(TokenUsage usage) {
        return costOf(usage, aboveTier(usage.inputTokens()));
    }

    /**
     * {@link #costOf(TokenUsage)} for usage summed over attempts that were all above the long-context threshold
     * ({@code tiered}) or all at or below it.
     */
    public BigDecimal costOf(TokenUsage usage, boolean tiered) {
        ModelPrice.TierPrices service = serviceTier(usage.serviceTier());
        BigDecimal input =
                service != null && service.inputPerToken() != null ? service.inputPerToken() : inputPrice(tiered);
        BigDecimal output =
                service != null && service.outputPerToken() != null ? service.outputPerToken() : outputPrice(tiered);
        // a cache class without a price of its own is billed as plain input of the call's long-context tier; a service
        // tier's price left unset is the plain one (as its input, output and cache-read prices are)
        BigDecimal plainInput = inputPrice(tiered);
        BigDecimal cacheRead = service != null && service.cacheReadPerToken() != null
                ? service.cacheReadPerToken()
                : cacheReadPrice(tiered, plainInput);
        BigDecimal cacheWrite = cacheWritePrice(tiered, plainInput);
        BigDecimal cacheWrite1h = cacheWrite1hPrice(tiered, plainInput);
        BigDecimal reasoning = reasoningPrice(output);
        return input.multiply(BigDecimal.valueOf(usage.uncachedInputTokens()))
                .add(cacheRead.multiply(BigDecimal.valueOf(usage.cachedInputTokens())))
                .add(cacheWrite.multiply(BigDecimal.valueOf(usage.cacheWrite5mInputTokens())))
                .add(cacheWrite1h.multiply(BigDecimal.valueOf(usage.cacheWrite1hInputTokens())))
                .add(output.multiply(BigDecimal.valueOf(usage.visibleOutputTokens())))
                .add(reasoning.multiply(BigDecimal.valueOf(usage.reasoningTokens())));
    }

    /** The prices of the tier a provider reported, or null for the default tier and tiers the catalog does not list. */
    private ModelPrice.TierPrices serviceTier(String tier) {
        return tier == null || price.serviceTiers() == null
                ? null
                : price.serviceTiers().get(tier);
    }

    /**
     * The most a call of this size can cost: every input token at the dearest input price (a cache write costs more
     * than plain input at some providers) and every output token at the dearer of the output and reasoning prices, at
     * the tier's prices when the input is above its threshold, and at a service tier's prices where they are dearer.
     */
    public BigDecimal worstCaseCost(long inputTokens, long maxOutputTokens) {
        boolean tiered = aboveTier(inputTokens);
        return dearestInput(tiered)
                .multiply(BigDecimal.valueOf(inputTokens))
                .add(dearestOutput(tiered).multiply(BigDecimal.valueOf(maxOutputTokens)));
    }

    /** The dearest price one input token can be billed at, whatever the call's size: what a worker bounds costs with. */
    public BigDecimal dearestInputPerToken() {
        return dearestInput(false).max(dearestInput(true));
    }

    /** The dearest price one output token can be billed at, whatever the call's size. */
    public BigDecimal dearestOutputPerToken() {
        return dearestOutput(false).max(dearestOutput(true));
    }

    private BigDecimal dearestInput(boolean tiered) {
        BigDecimal input = inputPrice(tiered);
        BigDecimal worst = input.max(cacheWritePrice(tiered, input))
                .max(cacheWrite1hPrice(tiered, input))
                .max(cacheReadPrice(tiered, input));
        // the provider may bill the call at a dearer service tier (priority) than the one asked for
        for (ModelPrice.TierPrices service : serviceTiers()) {
            worst = max(worst, service.inputPerToken(), service.cacheReadPerToken());
        }
        return worst;
    }

    private BigDecimal dearestOutput(boolean tiered) {
        BigDecimal output = outputPrice(tiered);
        BigDecimal worst = output.max(reasoningPrice(output));
        for (ModelPrice.TierPrices service : serviceTiers()) {
            worst = max(worst, service.outputPerToken());
        }
        return worst;
    }

    private Collection<ModelPrice.TierPrices> serviceTiers() {
        return price.serviceTiers() == null ? List.of() : price.serviceTiers().values();
    }

    private static BigDecimal max(BigDecimal worst, BigDecimal... others) {
        for (BigDecimal other : others) {
            if (other != null && other.compareTo(worst) > 0) {
                worst = other;
            }
        }
        return worst;
    }

    /** A model is retired from its deprecation date on. */
    public boolean retiredOn(LocalDate day) {
        return price.deprecationDate() != null && !day.isBefore(price.deprecationDate());
    }

    /** Cache reads at their own price (above the tier: the tier's where set), else at {@code input}. */
    private BigDecimal cacheReadPrice(boolean tiered, BigDecimal input) {
        if (tiered && price.cacheReadPerTokenAboveTier() != null) {
            return price.cacheReadPerTokenAboveTier();
        }
        return price.cacheReadPerToken() != null ? price.cacheReadPerToken() : input;
    }

    /** Cache writes at their own price (above the tier: the tier's where set), else at {@code input}. */
    private BigDecimal cacheWritePrice(boolean tiered, BigDecimal input) {
        if (tiered && price.cacheWritePerTokenAboveTier() != null) {
            return price.cacheWritePerTokenAboveTier();
        }
        return price.cacheWritePerToken() != null ? price.cacheWritePerToken() : input;
    }

    /**
     * 1-hour writes: their own price, else the 5-minute write price (above the tier too: the catalog has no 1-hour
     * price above the tier).
     */
    private BigDecimal cacheWrite1hPrice(boolean tiered, BigDecimal input) {
        return price.cacheWrite1hPerToken() != null ? price.cacheWrite1hPerToken() : cacheWritePrice(tiered, input);
    }

    private boolean aboveTier(long inputTokens) {
        return price.tierThresholdInputTokens() != null && inputTokens > price.tierThresholdInputTokens();
    }

    private BigDecimal inputPrice(boolean tiered) {
        return tiered && price.inputPerTokenAboveTier() != null
                ? price.inputPerTokenAboveTier()
                : price.inputPerToken();
    }

    private BigDecimal outputPrice(boolean tiered) {
        return tiered && price.outputPerTokenAboveTier() != null
                ? price.outputPerTokenAboveTier()
                : price.outputPerToken();
    }

    /** Reasoning tokens at their own price, else at {@code output}, the output price that applies to the call. */
    private BigDecimal reasoningPrice(BigDecimal output) {
        return price.reasoningPerToken() != null ? price.reasoningPerToken() : output;
    }
}
