package io.aiops.policy.api;

import java.util.List;

/** One page of the model catalog (current prices, by provider and model), and how many models match in all. */
public record ModelCatalogPage(List<ModelPrice> models, int page, int size, long total) {

    public ModelCatalogPage {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
