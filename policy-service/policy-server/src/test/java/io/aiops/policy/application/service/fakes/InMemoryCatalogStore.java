package io.aiops.policy.application.service.fakes;

import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.out.CatalogStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The model catalog in a map: every saved price is a new version effective from the time given, the latest saved one
 * is current, and {@link #findInForce} finds the version in force at an instant (the first one when the instant
 * predates them all). Scheduled prices and catalog seeds are not faked: the decision and outcome services never use
 * them.
 */
public final class InMemoryCatalogStore implements CatalogStore {

    private final Map<String, List<ModelPrice>> versions = new TreeMap<>();

    @Override
    public List<ModelPrice> findAll() {
        return versions.values().stream().map(List::getLast).toList();
    }

    @Override
    public Optional<ModelPrice> find(String provider, String model) {
        return Optional.ofNullable(versions.get(key(provider, model))).map(List::getLast);
    }

    @Override
    public Optional<ModelPrice> findInForce(String provider, String model, Instant at) {
        List<ModelPrice> all = versions.get(key(provider, model));
        if (all == null) {
            return Optional.empty();
        }
        return all.stream()
                .filter(p -> !p.effectiveFrom().isAfter(at))
                .max(Comparator.comparing(ModelPrice::effectiveFrom).thenComparing(ModelPrice::version))
                .or(() -> Optional.of(all.getFirst()));
    }

    @Override
    public List<ModelPrice> versions(String provider, String model) {
        return List.copyOf(versions.getOrDefault(key(provider, model), List.of()));
    }

    @Override
    public ModelPrice savePrice(ModelPrice price, Instant effectiveFrom) {
        List<ModelPrice> all = versions.computeIfAbsent(key(price.provider(), price.model()), k -> new ArrayList<>());
        if (!all.isEmpty() && all.getLast().withVersion(null, null).equals(price.withVersion(null, null))) {
            return all.getLast();
        }
        ModelPrice saved = price.withVersion(all.size() + 1, effectiveFrom);
        all.add(saved);
        return saved;
    }

    @Override
    public ModelPrice schedulePrice(ModelPrice price, Instant effectiveFrom) {
        throw new UnsupportedOperationException("scheduled prices are not faked");
    }

    @Override
    public List<PriceActivation> activateDue(Instant now) {
        throw new UnsupportedOperationException("scheduled prices are not faked");
    }

    @Override
    public SeedSources seedSources() {
        throw new UnsupportedOperationException("catalog seeds are not faked");
    }

    @Override
    public boolean claimSeed(String source, Instant now) {
        throw new UnsupportedOperationException("catalog seeds are not faked");
    }

    @Override
    public Optional<String> lastSeed(String suffix) {
        throw new UnsupportedOperationException("catalog seeds are not faked");
    }

    @Override
    public void countSeed(String source, int updated, int unchanged, int kept) {
        throw new UnsupportedOperationException("catalog seeds are not faked");
    }

    private static String key(String provider, String model) {
        return provider + "/" + model;
    }
}
