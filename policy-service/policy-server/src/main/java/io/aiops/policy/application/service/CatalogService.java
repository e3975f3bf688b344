package io.aiops.policy.application.service;

import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.in.CatalogUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.domain.Money;
import io.aiops.policy.application.port.in.ApiPrincipal;
import java.math.BigDecimal;
import java.time.Clock;
import org.springframework.transaction.annotation.Transactional;

/** Maintains catalog prices; every price must be stored exactly as sent. */
public class CatalogService implements CatalogUseCase {

  private final CatalogStore catalog;
  private final AuditRecorder audit;
  private final Clock clock;

  public CatalogService(CatalogStore catalog, AuditRecorder audit, Clock clock) {
    this.catalog = catalog;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  @Transactional
  public ModelPrice putModel(String provider, String model, ModelPrice price, ApiPrincipal actor) {
    // prices apply to every project
    ProjectAccess.require(actor, null, null);
    if (price == null) {
      throw RequestRejected.invalid(null, "a model price is required");
    }
    requireSame("provider", provider, price.provider());
    requireSame("model", model, price.model());
    requirePrice("inputPerToken", price.inputPerToken(), true);
    requirePrice("outputPerToken", price.outputPerToken(), true);
    requirePrice("cacheReadPerToken", price.cacheReadPerToken(), false);
    requirePrice("cacheWritePerToken", price.cacheWritePerToken(), false);
    requirePrice("reasoningPerToken", price.reasoningPerToken(), false);
    ModelPrice before = catalog.find(provider, model).orElse(null);
    catalog.upsert(
        new ModelPrice(
            provider,
            model,
            price.inputPerToken(),
            price.outputPerToken(),
            price.cacheReadPerToken(),
            price.cacheWritePerToken(),
            price.reasoningPerToken(),
            price.deprecationDate()));
    ModelPrice after = getModel(provider, model);
    audit.policyChange(actor, null, "model-price", provider + "/" + model, before, after, clock.instant());
    return after;
  }

  @Override
  @Transactional(readOnly = true)
  public ModelPrice getModel(String provider, String model) {
    return catalog
        .find(provider, model)
        .orElseThrow(() -> RequestRejected.notFound("model " + provider + "/" + model + " is not in the catalog"));
  }

  static void requireSame(String field, String fromPath, String fromBody) {
    if (fromBody != null && !fromBody.equals(fromPath)) {
      throw RequestRejected.invalid(field, field + " '" + fromBody + "' differs from the URL's '" + fromPath + "'");
    }
  }

  private static void requirePrice(String field, BigDecimal price, boolean required) {
    if (price == null) {
      if (required) {
        throw RequestRejected.invalid(field, field + " is required");
      }
      return;
    }
    if (price.signum() < 0) {
      throw RequestRejected.invalid(field, field + " must not be negative");
    }
    if (!Money.fitsLedger(price)) {
      throw RequestRejected.invalid(
          field, field + " must have at most " + Money.SCALE + " decimal places and " + Money.INTEGER_DIGITS
              + " integer digits");
    }
  }
}
