package io.aiops.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.core.TokenUsage;
import io.aiops.policy.api.ModelPrice;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelPricingTest {

    private static ModelPricing pricing(String cacheRead, String cacheWrite, String reasoning, LocalDate deprecation) {
        return new ModelPricing(new ModelPrice(
                "p",
                "m",
                new BigDecimal("0.000003"),
                new BigDecimal("0.000015"),
                cacheRead == null ? null : new BigDecimal(cacheRead),
                cacheWrite == null ? null : new BigDecimal(cacheWrite),
                reasoning == null ? null : new BigDecimal(reasoning),
                deprecation));
    }

    @Test
    void eachTokenClassHasItsOwnPrice() {
        ModelPricing sonnet = pricing("0.0000003", "0.00000375", "0.00002", null);

        BigDecimal cost = sonnet.costOf(new TokenUsage(10_000, 6_000, 1_000, 2_000, 500));

        // 3000 * 0.000003 + 6000 * 0.0000003 + 1000 * 0.00000375 + 1500 * 0.000015 + 500 * 0.00002
        assertThat(cost).isEqualByComparingTo("0.047050");
    }

    @Test
    void aboveTheTierCacheReadsAndWritesTakeTheTiersOwnPrices() {
        // Claude Sonnet 4.5 as genai-prices lists it: $3 / $6, cache read $0.30 / $0.60, write $3.75 / $7.50 per
        // million
        ModelPricing sonnet = new ModelPricing(new ModelPrice(
                "anthropic",
                "claude-sonnet-4-5",
                new BigDecimal("0.000003"),
                new BigDecimal("0.000015"),
                new BigDecimal("0.0000003"),
                new BigDecimal("0.00000375"),
                null,
                null,
                200_000L,
                new BigDecimal("0.000006"),
                new BigDecimal("0.0000225"),
                null,
                null,
                null,
                null,
                null,
                new BigDecimal("0.0000006"),
                new BigDecimal("0.0000075")));

        // at the threshold: base prices; 100k uncached, 50k cached, 50k written, 1000 output
        assertThat(sonnet.costOf(new TokenUsage(200_000, 50_000, 50_000, 1_000, 0)))
                .isEqualByComparingTo(new BigDecimal("0.3")
                        .add(new BigDecimal("0.015"))
                        .add(new BigDecimal("0.1875"))
                        .add(new BigDecimal("0.015")));
        // one token above: every token at the tier's prices, cache classes included
        assertThat(sonnet.costOf(new TokenUsage(200_001, 50_000, 50_000, 1_000, 0)))
                .isEqualByComparingTo(new BigDecimal("0.600006")
                        .add(new BigDecimal("0.03"))
                        .add(new BigDecimal("0.375"))
                        .add(new BigDecimal("0.0225")));
        // the worst case above the tier takes the dearest class there: the tier's cache write price
        assertThat(sonnet.worstCaseCost(300_000, 0)).isEqualByComparingTo("2.25");
        assertThat(sonnet.dearestInputPerToken()).isEqualByComparingTo("0.0000075");
    }

    @Test
    void missingPricesFallBackToInputAndOutput() {
        ModelPricing plain = pricing(null, null, null, null);

        BigDecimal cost = plain.costOf(new TokenUsage(100, 40, 10, 20, 5));

        // all 100 input tokens at 0.000003, all 20 output tokens at 0.000015
        assertThat(cost).isEqualByComparingTo("0.0006");
    }

    @Test
    void worstCaseUsesTheDearerOfOutputAndReasoning() {
        assertThat(pricing(null, null, "0.00006", null).worstCaseCost(1000, 100))
                .isEqualByComparingTo("0.009");
        assertThat(pricing(null, null, null, null).worstCaseCost(1000, 100)).isEqualByComparingTo("0.0045");
    }

    @Test
    void retiredFromTheDeprecationDateOn() {
        ModelPricing model = pricing(null, null, null, LocalDate.parse("2026-06-01"));
        assertThat(model.retiredOn(LocalDate.parse("2026-05-31"))).isFalse();
        assertThat(model.retiredOn(LocalDate.parse("2026-06-01"))).isTrue();
    }

    @Test
    void usageMustBeConsistent() {
        assertThatThrownBy(() -> new TokenUsage(10, 8, 3, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenUsage(10, 0, 0, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aboveTheContextThresholdInputAndOutputCostTheTierPrice() {
        ModelPricing tiered = new ModelPricing(new ModelPrice(
                "anthropic",
                "sonnet",
                new BigDecimal("0.000003"),
                new BigDecimal("0.000015"),
                new BigDecimal("0.0000003"),
                null,
                null,
                null,
                200_000L,
                new BigDecimal("0.000006"),
                new BigDecimal("0.0000225"),
                null,
                null,
                null,
                null,
                null));

        // exactly at the threshold: the base prices
        assertThat(tiered.costOf(new TokenUsage(200_000, 0, 0, 1_000, 0))).isEqualByComparingTo("0.615");
        // one token above: the whole call at the tier's prices, cache reads at their own price
        assertThat(tiered.costOf(new TokenUsage(200_001, 100_000, 0, 1_000, 0)))
                .isEqualByComparingTo(new BigDecimal("100001")
                        .multiply(new BigDecimal("0.000006"))
                        .add(new BigDecimal("0.03"))
                        .add(new BigDecimal("0.0225")));
        assertThat(tiered.worstCaseCost(250_000, 100)).isEqualByComparingTo("1.50225");
    }

    @Test
    void worstCaseCoversCacheWritesDearerThanInput() {
        // writing 1000 tokens to the cache at 0.00000375 costs more than sending them as plain input at 0.000003
        ModelPricing sonnet = pricing("0.0000003", "0.00000375", null, null);
        BigDecimal worst = sonnet.worstCaseCost(1000, 100);
        assertThat(sonnet.costOf(new TokenUsage(1000, 0, 1000, 100, 0))).isLessThanOrEqualTo(worst);
        assertThat(worst).isEqualByComparingTo("0.00525");
    }

    @Test
    void oneHourCacheWritesArePricedApartFromFiveMinuteWrites() {
        ModelPrice base = pricing("0.0000003", "0.00000375", null, null).price();
        ModelPricing sonnet = new ModelPricing(new ModelPrice(
                base.provider(),
                base.model(),
                base.inputPerToken(),
                base.outputPerToken(),
                base.cacheReadPerToken(),
                base.cacheWritePerToken(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new BigDecimal("0.000006"),
                null));

        // 40 plain input, 1000 five-minute writes, 2000 one-hour writes, 12 output
        BigDecimal cost = sonnet.costOf(new TokenUsage(3040, 0, 3000, 2000, 12, 0, null));

        // 40 * 0.000003 + 1000 * 0.00000375 + 2000 * 0.000006 + 12 * 0.000015
        assertThat(cost).isEqualByComparingTo("0.01605");
        // without a 1-hour price the writes fall back to the 5-minute price
        assertThat(pricing("0.0000003", "0.00000375", null, null)
                        .costOf(new TokenUsage(3040, 0, 3000, 2000, 12, 0, null)))
                .isEqualByComparingTo("0.01155");
    }

    @Test
    void anAttemptBilledAtAServiceTierTakesThatTiersPrices() {
        ModelPrice base = pricing("0.00000125", null, null, null).price();
        ModelPricing model = new ModelPricing(new ModelPrice(
                base.provider(),
                base.model(),
                base.inputPerToken(),
                base.outputPerToken(),
                base.cacheReadPerToken(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                Map.of(
                        "flex",
                        new ModelPrice.TierPrices(
                                new BigDecimal("0.0000015"),
                                new BigDecimal("0.0000075"),
                                new BigDecimal("0.000000625")),
                        "priority",
                        new ModelPrice.TierPrices(new BigDecimal("0.000006"), null, null))));
        TokenUsage usage = new TokenUsage(1200, 1024, 0, 0, 300, 0, "flex");

        // 176 * 0.0000015 + 1024 * 0.000000625 + 300 * 0.0000075
        assertThat(model.costOf(usage)).isEqualByComparingTo("0.003154");
        // priority lists only its input price: output and cache reads stay at the plain prices
        assertThat(model.costOf(new TokenUsage(1200, 1024, 0, 0, 300, 0, "priority")))
                .isEqualByComparingTo(new BigDecimal("0.000006")
                        .multiply(BigDecimal.valueOf(176))
                        .add(new BigDecimal("0.00000125").multiply(BigDecimal.valueOf(1024)))
                        .add(new BigDecimal("0.000015").multiply(BigDecimal.valueOf(300))));
        // the default tier, and a tier the catalog does not list, are the plain prices
        assertThat(model.costOf(new TokenUsage(1200, 1024, 0, 0, 300, 0, "default")))
                .isEqualByComparingTo(model.costOf(new TokenUsage(1200, 1024, 0, 0, 300, 0, null)));
        // the reservation covers a call billed at the dearest tier: priority input, plain output (dearer than flex's)
        assertThat(model.worstCaseCost(1000, 100))
                .isEqualByComparingTo(new BigDecimal("0.000006")
                        .multiply(BigDecimal.valueOf(1000))
                        .add(new BigDecimal("0.000015").multiply(BigDecimal.valueOf(100))));
        assertThat(model.worstCaseCost(1000, 100))
                .isGreaterThanOrEqualTo(model.costOf(new TokenUsage(1000, 0, 0, 0, 100, 0, "priority")));
    }
}
