package io.aiops.policy.application.port.out;

import io.aiops.policy.api.ModelPrice;
import java.util.List;
import java.util.Optional;

/** Stores the model catalog. */
public interface CatalogStore {

  List<ModelPrice> findAll();

  Optional<ModelPrice> find(String provider, String model);

  /** Creates or replaces the entry; an unknown provider is registered as an OpenAI-compatible one. */
  void upsert(ModelPrice price);
}
