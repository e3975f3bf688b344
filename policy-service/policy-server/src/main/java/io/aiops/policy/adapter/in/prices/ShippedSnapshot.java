package io.aiops.policy.adapter.in.prices;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Properties;

/**
 * The genai-prices snapshot that ships in the server ({@code catalog/genai-prices-data.json}, MIT licence, with its
 * commit and date in {@code catalog/genai-prices-snapshot.properties}): the prices a new database starts from.
 */
public final class ShippedSnapshot {

    private static final String DATA = "/catalog/genai-prices-data.json";
    private static final String ABOUT = "/catalog/genai-prices-snapshot.properties";

    private final JsonNode data;
    private final String source;

    private ShippedSnapshot(JsonNode data, String source) {
        this.data = data;
        this.source = source;
    }

    public static ShippedSnapshot load() {
        try (InputStream json = ShippedSnapshot.class.getResourceAsStream(DATA);
                InputStream about = ShippedSnapshot.class.getResourceAsStream(ABOUT)) {
            if (json == null || about == null) {
                throw new IllegalStateException("the price snapshot " + DATA + " or " + ABOUT + " is missing");
            }
            Properties properties = new Properties();
            properties.load(about);
            String source = "genai-prices " + properties.getProperty("commit").substring(0, 7) + " ("
                    + properties.getProperty("date") + "), shipped snapshot";
            return new ShippedSnapshot(PolicyClient.JSON.readTree(json), source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the price snapshot", e);
        }
    }

    /** The price source the snapshot's entries carry, naming its commit and date: {@code genai-prices 47df840 (...)}. */
    public String source() {
        return source;
    }

    /** The raw {@code data.json} content. */
    public JsonNode data() {
        return data;
    }

    /**
     * Every model of the default providers ({@link GenAiPricesData#DEFAULT_PROVIDERS}) at the prices in force on
     * {@code today}, plus the {@code catalog}'s models their match rules name.
     */
    public OpenPriceTable.Parsed prices(Collection<ModelPrice> catalog, LocalDate today) {
        return GenAiPricesData.parse(
                data, source, GenAiPricesData.providerMap(GenAiPricesData.DEFAULT_PROVIDERS), catalog, false, today);
    }
}
