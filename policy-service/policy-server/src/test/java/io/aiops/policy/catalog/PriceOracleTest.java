package io.aiops.policy.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.core.TokenUsage;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.domain.ModelPricing;
import io.aiops.policy.support.PolicyServerTest;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog a new database starts with, priced against the shipped genai-prices snapshot read directly: for every
 * model the snapshot covers, a fixed set of usage shapes costs, through the catalog's pricing, exactly what the
 * source's own formula gives (each priced token class at its price per million; a cache class the model does not
 * price is billed as plain input; once the call's input exceeds a tier's start, the tier's price applies to every
 * token of that class). Any difference names the model and the shape.
 */
class PriceOracleTest extends PolicyServerTest {

    private static final Map<String, String> PROVIDERS =
            Map.of("openai", "openai", "anthropic", "anthropic", "google", "gemini");
    private static final Set<String> CLASSES =
            Set.of("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok");
    private static final Set<String> AUDIO = Set.of("input_audio_mtok", "output_audio_mtok", "cache_audio_read_mtok");
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private static JsonNode snapshot;
    private static String source;

    /** One call's usage: input (cache reads and writes within it), output (reasoning within it). */
    record Shape(
            String name, long input, long cacheRead, long cacheWrite, long cacheWrite1h, long output, long reasoning) {}

    @BeforeAll
    static void readTheSnapshot() throws Exception {
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        try (InputStream data = PriceOracleTest.class.getResourceAsStream("/catalog/genai-prices-data.json");
                InputStream about =
                        PriceOracleTest.class.getResourceAsStream("/catalog/genai-prices-snapshot.properties")) {
            snapshot = json.readTree(data);
            Properties properties = new Properties();
            properties.load(about);
            source = "genai-prices " + properties.getProperty("commit").substring(0, 7) + " ("
                    + properties.getProperty("date") + "), shipped snapshot";
        }
    }

    @Test
    void everySnapshotModelCostsWhatTheSourceFormulaGives() {
        LocalDate today = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
        List<String> differences = new ArrayList<>();
        List<String> notCovered = new ArrayList<>();
        int covered = 0;
        int shapes = 0;
        for (JsonNode provider : snapshot) {
            String catalogProvider = PROVIDERS.get(provider.path("id").asText());
            if (catalogProvider == null) {
                continue;
            }
            for (JsonNode model : provider.path("models")) {
                String id = catalogProvider + "/" + model.path("id").asText();
                JsonNode prices = inForce(model.path("prices"), today);
                String unsupported = prices == null ? "no price in force" : unsupported(prices);
                if (unsupported != null) {
                    notCovered.add(id + ": " + unsupported);
                    continue;
                }
                ModelPrice seeded =
                        seededVersion(catalogProvider, model.path("id").asText());
                if (seeded == null) {
                    differences.add(id + ": not in the catalog at the snapshot's prices");
                    continue;
                }
                covered++;
                for (Shape shape : shapes(prices)) {
                    if (shape.cacheWrite1h() > 0 && seeded.cacheWrite1hPerToken() != null) {
                        continue; // a 1-hour write price the source does not model: checked below
                    }
                    shapes++;
                    BigDecimal ours = new ModelPricing(seeded)
                            .costOf(new TokenUsage(
                                    shape.input(),
                                    shape.cacheRead(),
                                    shape.cacheWrite(),
                                    shape.cacheWrite1h(),
                                    shape.output(),
                                    shape.reasoning(),
                                    null));
                    BigDecimal theirs = sourceFormula(prices, shape);
                    if (ours.compareTo(theirs) != 0) {
                        differences.add(id + " " + shape.name() + ": catalog " + ours.toPlainString() + " USD, source "
                                + theirs.toPlainString() + " USD");
                    }
                }
            }
        }
        System.out.printf("price oracle: %d models, %d priced shapes; not covered: %s%n", covered, shapes, notCovered);

        assertThat(differences).isEmpty();
        assertThat(covered).isGreaterThanOrEqualTo(100);
    }

    @Test
    void theOnlyPricesBesideTheSnapshotAreTheDocumentedOnes() {
        // 1-hour cache writes: the source prices one cache write class; Anthropic bills 1-hour writes at twice the base
        // input price (anthropic.com/pricing, "Prompt caching"), kept from the catalog where it was set
        for (ModelPrice model : viewer.models(null, null, 0, 500).models()) {
            if (model.cacheWrite1hPerToken() != null && source.equals(model.source())) {
                assertThat(model.provider()).as(model.model()).isEqualTo("anthropic");
                assertThat(model.cacheWrite1hPerToken())
                        .as(model.model())
                        .isEqualByComparingTo(model.inputPerToken().multiply(BigDecimal.TWO));
            }
        }
        // the three prices the hand-written seed had wrong now follow the source
        assertThat(seededVersion("gemini", "gemini-2.5-flash").cacheReadPerToken())
                .isEqualByComparingTo("0.00000003");
        assertThat(seededVersion("gemini", "gemini-2.5-pro").cacheReadPerToken())
                .isEqualByComparingTo("0.000000125");
        assertThat(seededVersion("anthropic", "claude-3-opus-20240229").cacheWritePerToken())
                .isEqualByComparingTo("0.00001875");
    }

    /** The catalog's version of a model whose source is the snapshot (later versions may be other tests' changes). */
    private ModelPrice seededVersion(String provider, String model) {
        try {
            return viewer.priceVersions(provider, model).stream()
                    .filter(v -> source.equals(v.source()))
                    .findFirst()
                    .orElse(null);
        } catch (RuntimeException notInCatalog) {
            return null;
        }
    }

    /** The prices in force on {@code day}: the object itself, or the last dated entry that has started. */
    private static JsonNode inForce(JsonNode prices, LocalDate day) {
        if (!prices.isArray()) {
            return prices;
        }
        JsonNode chosen = null;
        for (JsonNode entry : prices) {
            JsonNode constraint = entry.path("constraint");
            if (constraint.isMissingNode() || constraint.isNull()) {
                chosen = chosen == null ? entry.path("prices") : chosen;
            } else if (constraint.size() == 1
                    && constraint.has("start_date")
                    && !LocalDate.parse(constraint.path("start_date").asText()).isAfter(day)) {
                chosen = entry.path("prices");
            } else if (!constraint.has("start_date") || constraint.size() != 1) {
                return null;
            }
        }
        return chosen;
    }

    /** Why the catalog cannot hold these prices, or null when it can. */
    private static String unsupported(JsonNode prices) {
        Long start = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = prices.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> price = it.next();
            if (AUDIO.contains(price.getKey())) {
                continue;
            }
            if (!CLASSES.contains(price.getKey())) {
                return "bills " + price.getKey();
            }
            if (price.getValue().isObject()) {
                JsonNode tiers = price.getValue().path("tiers");
                if (tiers.size() != 1) {
                    return price.getKey() + " has " + tiers.size() + " tiers";
                }
                long tierStart = tiers.get(0).path("start").asLong();
                if (start != null && start != tierStart) {
                    return "tiers with different starts";
                }
                start = tierStart;
            }
        }
        return prices.has("input_mtok") && prices.has("output_mtok") ? null : "no input or output price";
    }

    private static List<Shape> shapes(JsonNode prices) {
        long start = tierStart(prices);
        List<Shape> shapes = new ArrayList<>(List.of(
                new Shape("plain", 1_200, 0, 0, 0, 450, 0),
                new Shape("cache read", 12_000, 9_000, 0, 0, 300, 0),
                new Shape("cache write 5m", 6_000, 0, 4_500, 0, 250, 0),
                new Shape("cache write 1h", 6_000, 0, 4_500, 4_500, 250, 0),
                new Shape("reasoning", 2_000, 500, 0, 0, 3_100, 2_600)));
        if (start > 0) {
            shapes.add(new Shape("above tier", start + 1_000, start / 2, 2_000, 0, 700, 100));
            shapes.add(new Shape("at tier", start, start / 2, 2_000, 0, 700, 100));
        }
        return shapes;
    }

    private static long tierStart(JsonNode prices) {
        for (JsonNode price : prices) {
            if (price.isObject()) {
                return price.path("tiers").get(0).path("start").asLong();
            }
        }
        return 0;
    }

    /** genai-prices' calculation: each priced class's leaf count times its price (tier by total input), per million. */
    private static BigDecimal sourceFormula(JsonNode prices, Shape shape) {
        long uncached = shape.input()
                - (prices.has("cache_read_mtok") ? shape.cacheRead() : 0)
                - (prices.has("cache_write_mtok") ? shape.cacheWrite() : 0);
        BigDecimal total = price(prices, "input_mtok", shape.input())
                .multiply(BigDecimal.valueOf(uncached))
                .add(price(prices, "output_mtok", shape.input()).multiply(BigDecimal.valueOf(shape.output())));
        if (prices.has("cache_read_mtok")) {
            total = total.add(
                    price(prices, "cache_read_mtok", shape.input()).multiply(BigDecimal.valueOf(shape.cacheRead())));
        }
        if (prices.has("cache_write_mtok")) {
            total = total.add(
                    price(prices, "cache_write_mtok", shape.input()).multiply(BigDecimal.valueOf(shape.cacheWrite())));
        }
        return total.divide(MILLION);
    }

    private static BigDecimal price(JsonNode prices, String key, long totalInput) {
        JsonNode price = prices.path(key);
        if (!price.isObject()) {
            return price.decimalValue();
        }
        JsonNode tier = price.path("tiers").get(0);
        return totalInput > tier.path("start").asLong()
                ? tier.path("price").decimalValue()
                : price.path("base").decimalValue();
    }
}
