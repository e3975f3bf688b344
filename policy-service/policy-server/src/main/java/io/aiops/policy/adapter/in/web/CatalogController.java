package io.aiops.policy.adapter.in.web;


import jakarta.validation.Valid;
import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.Name;
import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.CatalogUseCase;
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

  CatalogController(CatalogUseCase catalog) {
    this.catalog = catalog;
  }

  @PutMapping("/api/v1/models/{provider}/{model}")
  ModelPrice put(
      @PathVariable @Name String provider, @PathVariable @Name String model,
      @Valid @RequestBody ModelPrice price,
      @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
    return catalog.putModel(provider, model, price, principal);
  }

  @GetMapping("/api/v1/models/{provider}/{model}")
  ModelPrice get(@PathVariable @Name String provider, @PathVariable @Name String model) {
    return catalog.getModel(provider, model);
  }

  @GetMapping("/api/v1/models/{provider}/{model}/versions")
  List<ModelPrice> versions(
      @PathVariable @Name String provider, @PathVariable @Name String model) {
    return catalog.priceVersions(provider, model);
  }

  /** Imports an open price table (the LiteLLM JSON format); all entries or none. */
  @PostMapping("/api/v1/catalog/import")
  CatalogImportResult importTable(
      @RequestBody JsonNode table, @RequestParam(defaultValue = "price-table import") @Name String source,
     
      @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
    OpenPriceTable.Parsed parsed = OpenPriceTable.parse(table, source);
    return catalog.importPrices(parsed.prices(), parsed.skipped(), principal);
  }
}
