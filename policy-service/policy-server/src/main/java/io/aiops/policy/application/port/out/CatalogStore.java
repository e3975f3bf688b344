package io.aiops.policy.application.port.out;

import io.aiops.policy.api.ModelPrice;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores the model catalog: the price in force now per model, and every price version before it. */
public interface CatalogStore {

  /** Every model with its current price. */
  List<ModelPrice> findAll();

  Optional<ModelPrice> find(String provider, String model);

  /**
   * The price version in force at {@code at}: the latest one effective at or before it, or the first version when
   * {@code at} predates them all (entries seeded before the clock they are compared with).
   */
  Optional<ModelPrice> findInForce(String provider, String model, Instant at);

  /** Every price version of a model, oldest first. */
  List<ModelPrice> versions(String provider, String model);

  /**
   * Makes {@code price} the model's current price as a new version effective from {@code effectiveFrom}, unless it
   * equals the current one; an unknown provider is registered as an OpenAI-compatible one. Returns the current entry.
   */
  ModelPrice savePrice(ModelPrice price, Instant effectiveFrom);
}
