package io.aiops.policy.adapter.in.prices;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.domain.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the open price-table format (a JSON object keyed by model, with {@code input_cost_per_token},
 * {@code output_cost_per_token}, {@code cache_read_input_token_cost}, {@code cache_creation_input_token_cost},
 * {@code output_cost_per_reasoning_token}, {@code input_cost_per_token_above_200k_tokens}, {@code deprecation_date},
 * {@code litellm_provider} and {@code mode}). Prices are read as exact decimals; a price that is not a number is
 * refused naming the model key and the field.
 */
public final class OpenPriceTable {

    /** Modes of models that generate text, the only ones the decision path routes to. */
    private static final Set<String> TEXT_MODES = Set.of("chat", "completion", "responses");

    /** Most digits of a tier's thousands, so the threshold stays within 10^12 tokens. */
    private static final int TIER_DIGITS = 9;

    private static final Pattern TIER_FIELD = Pattern.compile("(input|output)_cost_per_token_above_(\\d+)k_tokens");

    /** Entries to import and entries left out, each with its reason. */
    public record Parsed(List<ModelPrice> prices, List<String> skipped) {}

    private OpenPriceTable() {}

    public static Parsed parse(JsonNode table, String source) {
        if (table == null || !table.isObject()) {
            throw RequestRejected.invalid(null, "the price table must be a JSON object keyed by model");
        }
        List<ModelPrice> prices = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            JsonNode e = entry.getValue();
            if (key.equals("sample_spec")) {
                skipped.add(key + ": the table's description of its fields");
                continue;
            }
            if (!e.isObject()) {
                throw RequestRejected.invalid(key, key + " must be an object of prices");
            }
            String mode = e.path("mode").asText("chat");
            if (!TEXT_MODES.contains(mode)) {
                skipped.add(key + ": mode " + mode + " is not text generation");
                continue;
            }
            String provider = e.path("litellm_provider").asText("");
            if (provider.isBlank()) {
                skipped.add(key + ": no litellm_provider");
                continue;
            }
            BigDecimal input = price(e, key, "input_cost_per_token");
            BigDecimal output = price(e, key, "output_cost_per_token");
            if (input == null || output == null) {
                skipped.add(key + ": no input_cost_per_token or output_cost_per_token");
                continue;
            }
            Long threshold = null;
            BigDecimal inputAbove = null;
            BigDecimal outputAbove = null;
            for (Iterator<String> names = e.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                Matcher tier = TIER_FIELD.matcher(name);
                if (!tier.matches()) {
                    continue;
                }
                if (tier.group(2).length() > TIER_DIGITS) {
                    // more thousands than fit a token count: refused here rather than overflowing a long
                    throw RequestRejected.invalid(
                            key + "." + name, key + "." + name + " names a tier above 10^12 tokens");
                }
                long tokens = Long.parseLong(tier.group(2)) * 1000;
                if (threshold != null && threshold != tokens) {
                    throw RequestRejected.invalid(key + "." + name, key + " has prices for more than one context tier");
                }
                threshold = tokens;
                if (tier.group(1).equals("input")) {
                    inputAbove = price(e, key, name);
                } else {
                    outputAbove = price(e, key, name);
                }
            }
            String model = key.startsWith(provider + "/") ? key.substring(provider.length() + 1) : key;
            Map<String, ModelPrice.TierPrices> serviceTiers = new TreeMap<>();
            for (String tier : SERVICE_TIERS) {
                ModelPrice.TierPrices tierPrices = new ModelPrice.TierPrices(
                        price(e, key, "input_cost_per_token_" + tier),
                        price(e, key, "output_cost_per_token_" + tier),
                        price(e, key, "cache_read_input_token_cost_" + tier));
                if (tierPrices.inputPerToken() != null
                        || tierPrices.outputPerToken() != null
                        || tierPrices.cacheReadPerToken() != null) {
                    serviceTiers.put(tier, tierPrices);
                }
            }
            prices.add(new ModelPrice(
                    provider,
                    model,
                    input,
                    output,
                    price(e, key, "cache_read_input_token_cost"),
                    price(e, key, "cache_creation_input_token_cost"),
                    price(e, key, "output_cost_per_reasoning_token"),
                    date(e, key, "deprecation_date"),
                    threshold,
                    inputAbove,
                    outputAbove,
                    source,
                    null,
                    null,
                    price(e, key, "cache_creation_input_token_cost_above_1hr"),
                    serviceTiers));
        }
        return new Parsed(prices, skipped);
    }

    /** The service tiers whose prices the table lists with a {@code _<tier>} suffix. */
    private static final List<String> SERVICE_TIERS = List.of("flex", "priority");

    private static BigDecimal price(JsonNode entry, String key, String name) {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        String field = key + "." + name;
        BigDecimal price;
        if (value.isNumber()) {
            price = value.decimalValue();
        } else if (value.isTextual()) {
            try {
                price = new BigDecimal(value.asText().trim());
            } catch (NumberFormatException e) {
                throw RequestRejected.invalid(
                        field, field + " must be a number of USD per token, not '" + value.asText() + "'");
            }
        } else {
            throw RequestRejected.invalid(field, field + " must be a number of USD per token");
        }
        if (price.signum() < 0) {
            throw RequestRejected.invalid(field, field + " must not be negative");
        }
        if (!Money.fitsLedger(price)) {
            throw RequestRejected.invalid(field, field + " must have at most " + Money.SCALE + " decimal places");
        }
        return price;
    }

    private static LocalDate date(JsonNode entry, String key, String name) {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.asText().trim());
        } catch (DateTimeParseException e) {
            String field = key + "." + name;
            throw RequestRejected.invalid(
                    field, field + " must be a date like 2026-01-31, not '" + value.asText() + "'");
        }
    }
}
