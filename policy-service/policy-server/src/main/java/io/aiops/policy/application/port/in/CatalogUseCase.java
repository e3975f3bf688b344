package io.aiops.policy.application.port.in;

import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.ModelPrice;
import java.util.List;

/** Maintains the model catalog: prices per token class, long-context tiers, deprecation dates, price versions. */
public interface CatalogUseCase {

  ModelPrice putModel(String provider, String model, ModelPrice price, ApiPrincipal actor);

  ModelPrice getModel(String provider, String model);

  List<ModelPrice> priceVersions(String provider, String model);

  /** Imports checked entries all at once: either every entry is applied or none. */
  CatalogImportResult importPrices(List<ModelPrice> prices, List<String> skipped, ApiPrincipal actor);
}
