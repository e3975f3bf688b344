package io.aiops.policy.adapter.in.prices;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.redaction.ReadLimitedText;
import io.aiops.policy.application.port.in.RequestRejected;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the price data of pydantic's genai-prices ({@code prices/data.json}, MIT licence): a list of providers, each
 * with models that carry a {@code match} rule and {@code prices} in USD per million tokens ({@code input_mtok},
 * {@code output_mtok}, {@code cache_read_mtok}, {@code cache_write_mtok}), each a number or
 * {@code {base, tiers: [{start, price}]}} (the tier's price applies to all tokens once the call's input exceeds
 * {@code start}), or a list of such price sets with {@code constraint {start_date}}.
 *
 * <p>Each catalog model of a mapped provider takes the prices of the first source model whose match rule matches its
 * name, as the source's own library resolves names ({@code existingOnly}); otherwise every model of the mapped
 * providers is read under its source id. Models whose prices the catalog cannot express (per-request fees, several
 * tiers, time-of-day prices) are left out with the reason, never approximated; audio token prices are left out of an
 * otherwise imported model, and the report says so. A value that is not a
 * non-negative number refuses the whole source, naming its JSON path.
 */
public final class GenAiPricesData {

    /** The price classes the catalog models; anything else leaves the model out. */
    private static final Set<String> CLASSES =
            Set.of("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok");

    /**
     * Audio token prices: the adapters report no audio tokens apart (the AI task sends text), so a model that also
     * prices audio is imported with its text prices, and the audio classes are named in the report.
     */
    private static final Set<String> AUDIO = Set.of("input_audio_mtok", "output_audio_mtok", "cache_audio_read_mtok");

    /** Source provider ids and the catalog's names for them: {@code openai,anthropic,google:gemini}. */
    public static final String DEFAULT_PROVIDERS = "openai,anthropic,google:gemini";

    public static Map<String, String> providerMap(String spec) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] names = part.trim().split(":", 2);
            String from = names[0].trim();
            String to = names.length == 2 ? names[1].trim() : from;
            if (from.isEmpty() || to.isEmpty()) {
                throw RequestRejected.invalid(
                        "providers",
                        "providers must list source ids, each optionally ':' the catalog's name (e.g. "
                                + DEFAULT_PROVIDERS + ")");
            }
            map.put(from, to);
        }
        return map;
    }

    private GenAiPricesData() {}

    /**
     * @param providers source provider id → catalog provider name (e.g. {@code google → gemini})
     * @param catalog the catalog's current models, matched by the source's rules
     * @param existingOnly true: only the catalog's models are read; false: every model of the mapped providers too
     */
    public static OpenPriceTable.Parsed parse(
            JsonNode data,
            String source,
            Map<String, String> providers,
            Collection<ModelPrice> catalog,
            boolean existingOnly,
            LocalDate today) {
        Map<String, List<String>> existing = new LinkedHashMap<>();
        for (ModelPrice model : catalog) {
            existing.computeIfAbsent(model.provider(), p -> new ArrayList<>()).add(model.model());
        }
        if (data == null || !data.isArray()) {
            throw RequestRejected.invalid(null, "genai-prices data must be a JSON array of providers");
        }
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (int p = 0; p < data.size(); p++) {
            JsonNode provider = data.get(p);
            String at = "[" + p + "]";
            String id = text(provider, "id", at);
            String catalogName = providers.get(id);
            if (catalogName == null) {
                continue;
            }
            JsonNode models = provider.path("models");
            if (!models.isArray()) {
                throw RequestRejected.invalid(at + ".models", at + ".models must be an array");
            }
            for (String name : existing.getOrDefault(catalogName, List.of())) {
                int index = firstMatch(models, name, at);
                if (index < 0) {
                    skipped.add(catalogName + "/" + name + ": no model of " + id + " in the source matches");
                    continue;
                }
                read(
                        models.get(index),
                        at + ".models[" + index + "]",
                        catalogName,
                        name,
                        source,
                        today,
                        prices,
                        skipped);
            }
            if (!existingOnly) {
                for (int m = 0; m < models.size(); m++) {
                    String modelId = text(models.get(m), "id", at + ".models[" + m + "]");
                    if (!prices.containsKey(catalogName + "/" + modelId)) {
                        read(
                                models.get(m),
                                at + ".models[" + m + "]",
                                catalogName,
                                modelId,
                                source,
                                today,
                                prices,
                                skipped);
                    }
                }
            }
        }
        return new OpenPriceTable.Parsed(List.copyOf(prices.values()), skipped);
    }

    private static void read(
            JsonNode model,
            String at,
            String provider,
            String name,
            String source,
            LocalDate today,
            Map<String, ModelPrice> into,
            List<String> skipped) {
        String id = provider + "/" + name;
        JsonNode prices = model.path("prices");
        String pricesAt = at + ".prices";
        List<LocalDate> later = new ArrayList<>();
        if (prices.isArray()) {
            int chosen = -1;
            for (int i = 0; i < prices.size(); i++) {
                JsonNode constraint = prices.get(i).path("constraint");
                if (constraint.isMissingNode() || constraint.isNull()) {
                    chosen = chosen < 0 ? i : chosen;
                    continue;
                }
                for (Iterator<String> keys = constraint.fieldNames(); keys.hasNext(); ) {
                    String key = keys.next();
                    if (!key.equals("start_date")) {
                        skipped.add(id + ": prices by " + key + " (time of day) are not modelled");
                        return;
                    }
                }
                LocalDate start = date(constraint.path("start_date"), pricesAt + "[" + i + "].constraint.start_date");
                if (!start.isAfter(today)) {
                    chosen = i;
                } else {
                    later.add(start);
                }
            }
            if (chosen < 0) {
                skipped.add(id + ": no price in force on " + today);
                return;
            }
            for (LocalDate start : later) {
                skipped.add(id + ": the price from " + start + " is not imported before that day (schedule it with PUT"
                        + " /api/v1/models/" + id + " and effectiveFrom)");
            }
            pricesAt = pricesAt + "[" + chosen + "].prices";
            prices = prices.get(chosen).path("prices");
        }
        if (!prices.isObject()) {
            throw RequestRejected.invalid(pricesAt, pricesAt + " must be an object of prices");
        }
        List<String> audio = new ArrayList<>();
        for (Iterator<String> keys = prices.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (AUDIO.contains(key)) {
                audio.add(key);
            } else if (!CLASSES.contains(key)) {
                skipped.add(id + ": bills " + key + ", which the catalog does not price");
                return;
            }
        }
        if (!prices.has("input_mtok") || !prices.has("output_mtok")) {
            skipped.add(id + ": no input or output price");
            return;
        }
        Long tierStart = null;
        Map<String, BigDecimal[]> byClass = new LinkedHashMap<>();
        for (String key : List.of("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok")) {
            JsonNode value = prices.path(key);
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            String valueAt = pricesAt + "." + key;
            if (value.isObject()) {
                JsonNode tiers = value.path("tiers");
                if (!tiers.isArray()) {
                    throw RequestRejected.invalid(valueAt + ".tiers", valueAt + ".tiers must be an array");
                }
                if (tiers.size() != 1) {
                    skipped.add(id + ": " + key + " has " + tiers.size() + " tiers; the catalog models one");
                    return;
                }
                long start = count(tiers.get(0).path("start"), valueAt + ".tiers[0].start");
                if (tierStart != null && tierStart != start) {
                    skipped.add(id + ": tiers start at " + tierStart + " and " + start
                            + " input tokens; the catalog models one" + " threshold");
                    return;
                }
                tierStart = start;
                byClass.put(key, new BigDecimal[] {
                    perToken(value.path("base"), valueAt + ".base"),
                    perToken(tiers.get(0).path("price"), valueAt + ".tiers[0].price")
                });
            } else {
                byClass.put(key, new BigDecimal[] {perToken(value, valueAt), null});
            }
        }
        BigDecimal[] input = byClass.get("input_mtok");
        BigDecimal[] output = byClass.get("output_mtok");
        BigDecimal[] read = byClass.getOrDefault("cache_read_mtok", new BigDecimal[2]);
        BigDecimal[] write = byClass.getOrDefault("cache_write_mtok", new BigDecimal[2]);
        if (!audio.isEmpty()) {
            skipped.add(id + ": text prices imported; not imported: " + String.join(", ", audio)
                    + " (the catalog prices no audio tokens)");
        }
        into.put(
                id,
                new ModelPrice(
                        provider, name, input[0], output[0], read[0], write[0], null, null, tierStart, input[1],
                        output[1], source, null, null, null, null, read[1], write[1]));
    }

    /** Index of the first model whose match rule matches {@code name} (case-insensitive, as the source's library). */
    private static int firstMatch(JsonNode models, String name, String at) {
        for (int m = 0; m < models.size(); m++) {
            String modelAt = at + ".models[" + m + "]";
            JsonNode match = models.get(m).path("match");
            if (match.isMissingNode()) {
                throw RequestRejected.invalid(modelAt + ".match", modelAt + ".match is required");
            }
            if (matches(match, name.toLowerCase(Locale.ROOT), modelAt + ".match")) {
                return m;
            }
        }
        return -1;
    }

    private static boolean matches(JsonNode clause, String name, String at) {
        if (clause.has("or") || clause.has("and")) {
            boolean any = clause.has("or");
            JsonNode parts = clause.path(any ? "or" : "and");
            if (!parts.isArray()) {
                throw RequestRejected.invalid(at, at + "." + (any ? "or" : "and") + " must be an array");
            }
            for (int i = 0; i < parts.size(); i++) {
                boolean hit = matches(parts.get(i), name, at + "." + (any ? "or" : "and") + "[" + i + "]");
                if (hit == any) {
                    return any;
                }
            }
            return !any;
        }
        if (clause.has("equals")) {
            return name.equals(lower(clause, "equals", at));
        }
        if (clause.has("starts_with")) {
            return name.startsWith(lower(clause, "starts_with", at));
        }
        if (clause.has("ends_with")) {
            return name.endsWith(lower(clause, "ends_with", at));
        }
        if (clause.has("contains")) {
            return name.contains(lower(clause, "contains", at));
        }
        if (clause.has("regex")) {
            try {
                return Pattern.compile(text(clause, "regex", at))
                        .matcher(new ReadLimitedText(name, REGEX_READS))
                        .find();
            } catch (PatternSyntaxException e) {
                throw RequestRejected.invalid(
                        at + ".regex", at + ".regex is not a regular expression: " + e.getDescription());
            } catch (ReadLimitedText.RanAway e) {
                throw RequestRejected.invalid(
                        at + ".regex",
                        at + ".regex backtracks too much on the model name '" + name + "': the source is refused");
            }
        }
        throw RequestRejected.invalid(
                at, at + " is not a match rule (equals, starts_with, ends_with, contains, regex," + " or, and)");
    }

    /**
     * Character reads a source's regex may make on one model name: a pattern with catastrophic backtracking (a source
     * is outside input) must not stall the import or the scheduled sync.
     */
    private static final long REGEX_READS = 100_000;

    private static String lower(JsonNode node, String field, String at) {
        return text(node, field, at).toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw RequestRejected.invalid(at + "." + field, at + "." + field + " must be a string");
        }
        return value.asText();
    }

    /** USD per million tokens as an exact price per token. */
    private static BigDecimal perToken(JsonNode value, String at) {
        if (!value.isNumber() || value.decimalValue().signum() < 0) {
            throw RequestRejected.invalid(at, at + " must be a non-negative number of USD per million tokens");
        }
        return value.decimalValue().movePointLeft(6).stripTrailingZeros();
    }

    private static long count(JsonNode value, String at) {
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() <= 0) {
            throw RequestRejected.invalid(at, at + " must be a positive whole number of input tokens");
        }
        return value.asLong();
    }

    private static LocalDate date(JsonNode value, String at) {
        try {
            return LocalDate.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw RequestRejected.invalid(at, at + " must be a date (yyyy-mm-dd)");
        }
    }
}
