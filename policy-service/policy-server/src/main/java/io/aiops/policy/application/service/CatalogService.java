package io.aiops.policy.application.service;

import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.in.CatalogUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.domain.Money;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.transaction.annotation.Transactional;

/**
 * Maintains catalog prices; every price is stored exactly as sent, and a changed price becomes a new version in force
 * from now, leaving earlier versions (and the calls priced with them) untouched.
 */
public class CatalogService implements CatalogUseCase {

  private final CatalogStore catalog;
  private final Clock clock;

  public CatalogService(CatalogStore catalog, Clock clock) {
    this.catalog = catalog;
    this.clock = clock;
  }

  @Override
  @Transactional
  public ModelPrice putModel(String provider, String model, ModelPrice price) {
    if (price == null) {
      throw RequestRejected.invalid(null, "a model price is required");
    }
    requireSame("provider", provider, price.provider());
    requireSame("model", model, price.model());
    check("", price);
    return catalog.savePrice(withKey(provider, model, price), now());
  }

  @Override
  @Transactional(readOnly = true)
  public ModelPrice getModel(String provider, String model) {
    return catalog
        .find(provider, model)
        .orElseThrow(() -> RequestRejected.notFound("model " + provider + "/" + model + " is not in the catalog"));
  }

  @Override
  @Transactional(readOnly = true)
  public List<ModelPrice> priceVersions(String provider, String model) {
    List<ModelPrice> versions = catalog.versions(provider, model);
    if (versions.isEmpty()) {
      throw RequestRejected.notFound("model " + provider + "/" + model + " is not in the catalog");
    }
    return versions;
  }

  @Override
  @Transactional
  public CatalogImportResult importPrices(List<ModelPrice> prices, List<String> skipped) {
    // every entry is checked before the first one is written, so a bad entry leaves the catalog as it was
    for (ModelPrice price : prices) {
      check(price.provider() + "/" + price.model() + ".", price);
    }
    Instant now = now();
    List<String> updated = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    for (ModelPrice price : prices) {
      Integer before = catalog.find(price.provider(), price.model()).map(ModelPrice::version).orElse(null);
      ModelPrice saved = catalog.savePrice(price, now);
      (saved.version().equals(before) ? unchanged : updated).add(price.provider() + "/" + price.model());
    }
    return new CatalogImportResult(updated, unchanged, skipped);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static ModelPrice withKey(String provider, String model, ModelPrice p) {
    return new ModelPrice(provider, model, p.inputPerToken(), p.outputPerToken(), p.cacheReadPerToken(),
        p.cacheWritePerToken(), p.reasoningPerToken(), p.deprecationDate(), p.tierThresholdInputTokens(),
        p.inputPerTokenAboveTier(), p.outputPerTokenAboveTier(), p.source(), null, null);
  }

  /** Checks one entry; {@code prefix} places its fields in the request (empty for a single PUT). */
  private static void check(String prefix, ModelPrice price) {
    requirePrice(prefix + "inputPerToken", price.inputPerToken(), true);
    requirePrice(prefix + "outputPerToken", price.outputPerToken(), true);
    requirePrice(prefix + "cacheReadPerToken", price.cacheReadPerToken(), false);
    requirePrice(prefix + "cacheWritePerToken", price.cacheWritePerToken(), false);
    requirePrice(prefix + "reasoningPerToken", price.reasoningPerToken(), false);
    requirePrice(prefix + "inputPerTokenAboveTier", price.inputPerTokenAboveTier(), false);
    requirePrice(prefix + "outputPerTokenAboveTier", price.outputPerTokenAboveTier(), false);
    Long threshold = price.tierThresholdInputTokens();
    if (threshold != null && threshold <= 0) {
      throw RequestRejected.invalid(
          prefix + "tierThresholdInputTokens", prefix + "tierThresholdInputTokens must be positive");
    }
    if (threshold == null && (price.inputPerTokenAboveTier() != null || price.outputPerTokenAboveTier() != null)) {
      throw RequestRejected.invalid(
          prefix + "tierThresholdInputTokens",
          prefix + "tierThresholdInputTokens is required with prices above the tier");
    }
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
