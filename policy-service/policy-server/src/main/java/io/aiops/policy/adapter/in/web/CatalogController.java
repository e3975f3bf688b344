package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.CatalogUseCase;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Catalog entries: prices per token class and deprecation dates. */
@RestController
@RequestMapping("/api/v1/models/{provider}/{model}")
class CatalogController {

  private final CatalogUseCase catalog;

  CatalogController(CatalogUseCase catalog) {
    this.catalog = catalog;
  }

  @PutMapping
  ModelPrice put(
      @PathVariable String provider, @PathVariable String model, @RequestBody ModelPrice price, @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
    return catalog.putModel(provider, model, price, principal);
  }

  @GetMapping
  ModelPrice get(@PathVariable String provider, @PathVariable String model) {
    return catalog.getModel(provider, model);
  }
}
