package io.aiops.policy.application.port.out;

import io.aiops.policy.api.ModelPrice;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
     * equals the current one, source included; an unknown provider is registered as an OpenAI-compatible one. Returns
     * the current entry.
     */
    ModelPrice savePrice(ModelPrice price, Instant effectiveFrom);

    /**
     * Records {@code price} as the model's next version from the future {@code effectiveFrom}, leaving the current
     * price in place until {@link #activateDue} makes it current. Returns the scheduled version.
     */
    ModelPrice schedulePrice(ModelPrice price, Instant effectiveFrom);

    /** A scheduled version that became the model's current price. */
    record PriceActivation(ModelPrice before, ModelPrice after) {}

    /** Makes each model's latest version in force at {@code now} current where it started after the current one. */
    List<PriceActivation> activateDue(Instant now);

    /**
     * The price sources the service seeded itself ({@code all}): a model priced from one of them follows the next
     * seed; {@code handWritten}: the starter rows among them.
     */
    record SeedSources(Set<String> all, Set<String> handWritten) {}

    SeedSources seedSources();

    /**
     * Records that the seed {@code source} is being applied, in the caller's transaction; false when it was applied
     * before (here or by another instance, which then holds the record until its transaction ends).
     */
    boolean claimSeed(String source, Instant now);

    /** The seed applied last whose source ends with {@code suffix} (the syncs of one location). */
    Optional<String> lastSeed(String suffix);

    /** The counts of an applied seed: models added or changed, unchanged, kept because an operator set their price. */
    void countSeed(String source, int updated, int unchanged, int kept);
}
