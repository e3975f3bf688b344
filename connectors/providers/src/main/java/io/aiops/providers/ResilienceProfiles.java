package io.aiops.providers;

import java.util.Map;
import java.util.Objects;

/**
 * Resilience settings by (provider, model): an override for {@code "<provider>:<model>"} wins over one for
 * {@code "<provider>"}, which wins over the defaults. Overrides are complete settings (build them from the level
 * above with {@link ResilienceSettings#toBuilder()}).
 */
public final class ResilienceProfiles {

    private final ResilienceSettings defaults;
    private final Map<String, ResilienceSettings> overrides;

    /** Defaults plus overrides keyed {@code "<provider>"} or {@code "<provider>:<model>"}. */
    public ResilienceProfiles(ResilienceSettings defaults, Map<String, ResilienceSettings> overrides) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.overrides = Map.copyOf(overrides == null ? Map.of() : overrides);
    }

    /** The same settings for every provider and model. */
    public static ResilienceProfiles uniform(ResilienceSettings settings) {
        return new ResilienceProfiles(settings, Map.of());
    }

    /** The settings in force for {@code model} at {@code provider}. */
    public ResilienceSettings forModel(String provider, String model) {
        ResilienceSettings exact = overrides.get(ResilientProviderCaller.key(provider, model));
        if (exact != null) {
            return exact;
        }
        return overrides.getOrDefault(provider, defaults);
    }

    /** The settings of providers and models without an override. */
    public ResilienceSettings defaults() {
        return defaults;
    }

    /** The overrides by key. */
    public Map<String, ResilienceSettings> overrides() {
        return overrides;
    }
}
