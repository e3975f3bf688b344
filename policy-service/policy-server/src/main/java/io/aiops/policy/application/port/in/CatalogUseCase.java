package io.aiops.policy.application.port.in;

import io.aiops.policy.api.ModelPrice;

/** Maintains the model catalog: prices per token class and deprecation dates. */
public interface CatalogUseCase {

  ModelPrice putModel(String provider, String model, ModelPrice price, ApiPrincipal actor);

  ModelPrice getModel(String provider, String model);
}
