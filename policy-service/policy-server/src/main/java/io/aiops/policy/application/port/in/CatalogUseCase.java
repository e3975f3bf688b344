package io.aiops.policy.application.port.in;

import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.ModelCatalogPage;
import io.aiops.policy.api.ModelPrice;
import java.util.List;
import java.util.Optional;

/** Maintains the model catalog: prices per token class, long-context tiers, deprecation dates, price versions. */
public interface CatalogUseCase {

    ModelPrice putModel(String provider, String model, ModelPrice price, ApiPrincipal actor);

    ModelPrice getModel(String provider, String model);

    List<ModelPrice> priceVersions(String provider, String model);

    /**
     * Imports checked entries all at once: either every entry is applied or none; a dry run applies none and says what
     * would change. With {@code keepUnlisted}, price fields the source does not model (reasoning, 1-hour cache writes,
     * service tiers, deprecation date) keep the catalog's values.
     */
    CatalogImportResult importPrices(
            List<ModelPrice> prices, List<String> skipped, ApiPrincipal actor, boolean dryRun, boolean keepUnlisted);

    /**
     * Applies a price source the service ships (a genai-prices snapshot) once per database: models it does not know
     * yet are added, models priced from an earlier seed follow it, and a price an operator set is kept and named in
     * {@code skipped}. Changes are audited as the service's own. Empty when {@code source} was applied before.
     */
    Optional<CatalogImportResult> seed(String source, List<ModelPrice> prices, List<String> skipped);

    /** The seed applied last whose source ends with {@code suffix}: which content of a synced location is in force. */
    Optional<String> lastSeed(String suffix);

    /**
     * Makes the scheduled prices whose day has come current (PRICE_CHANGED alerts follow); returns how many. Several
     * instances may run it.
     */
    int activateScheduledPrices();

    /** Every model's current price. */
    List<ModelPrice> models();

    /**
     * One page of the catalog, ordered by provider and model: of one provider (null: all), deprecated ones only, or
     * not deprecated ones only (null: both), as of today.
     */
    ModelCatalogPage listModels(String provider, Boolean deprecated, int page, int size);
}
