package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.adapter.in.prices.GenAiPricesData;
import io.aiops.policy.adapter.in.prices.OpenPriceTable;
import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.ModelCatalogPage;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.Name;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.CatalogUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Catalog entries: prices per token class, long-context tiers, deprecation dates and their price versions. */
@RestController
class CatalogController {

    private final CatalogUseCase catalog;
    private final Clock clock;

    CatalogController(CatalogUseCase catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    @PutMapping("/api/v1/models/{provider}/{model}")
    ModelPrice put(
            @PathVariable @Name String provider,
            @PathVariable @Name String model,
            @Valid @RequestBody ModelPrice price,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return catalog.putModel(provider, model, price, principal);
    }

    @GetMapping("/api/v1/models/{provider}/{model}")
    ModelPrice get(@PathVariable @Name String provider, @PathVariable @Name String model) {
        return catalog.getModel(provider, model);
    }

    @GetMapping("/api/v1/models/{provider}/{model}/versions")
    List<ModelPrice> versions(@PathVariable @Name String provider, @PathVariable @Name String model) {
        return catalog.priceVersions(provider, model);
    }

    /** The catalog's current prices, a page at a time, by provider and model. */
    @GetMapping("/api/v1/models")
    ModelCatalogPage list(
            @RequestParam(required = false) @Name String provider,
            @RequestParam(required = false) Boolean deprecated,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "100") int size) {
        return catalog.listModels(provider, deprecated, page, size);
    }

    /**
     * Imports a price source, all entries or none: {@code format=litellm} (default; the LiteLLM-style JSON map) or
     * {@code format=genai-prices} (pydantic's genai-prices {@code data.json}: the catalog's models of the mapped
     * {@code providers}, or with {@code models=all} every model of them). With {@code dryRun=true} nothing is written
     * and the answer lists what would change, per model and price field.
     */
    @PostMapping("/api/v1/catalog/import")
    CatalogImportResult importTable(
            @RequestBody JsonNode table,
            @RequestParam(defaultValue = "price-table import") @Name String source,
            @RequestParam(defaultValue = "litellm") String format,
            @RequestParam(defaultValue = GenAiPricesData.DEFAULT_PROVIDERS) @Name String providers,
            @RequestParam(defaultValue = "existing") String models,
            @RequestParam(defaultValue = "false") boolean dryRun,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        OpenPriceTable.Parsed parsed = switch (format) {
            case "litellm" -> OpenPriceTable.parse(table, source);
            case "genai-prices" ->
                GenAiPricesData.parse(
                        table,
                        source,
                        GenAiPricesData.providerMap(providers),
                        catalog.models(),
                        existingOnly(models),
                        LocalDate.now(clock));
            default ->
                throw RequestRejected.invalid("format", "format must be litellm or genai-prices, not '" + format + "'");
        };
        return catalog.importPrices(
                parsed.prices(), parsed.skipped(), principal, dryRun, format.equals("genai-prices"));
    }

    private static boolean existingOnly(String models) {
        return switch (models) {
            case "existing" -> true;
            case "all" -> false;
            default -> throw RequestRejected.invalid("models", "models must be existing or all, not '" + models + "'");
        };
    }
}
