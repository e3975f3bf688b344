package io.aiops.policy.application.service;

import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.ModelCatalogPage;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.CatalogUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.application.service.alerting.PriceChangeAlerts;
import io.aiops.policy.domain.Money;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.annotation.Transactional;

/**
 * Maintains catalog prices; every price is stored exactly as sent, and a changed price becomes a new version in force
 * from now, leaving earlier versions (and the calls priced with them) untouched.
 */
public class CatalogService implements CatalogUseCase {

    private final CatalogStore catalog;
    private final AuditRecorder audit;
    private final Clock clock;
    private final DecisionDefinitions definitions;
    private final PriceChangeAlerts priceAlerts;

    public CatalogService(
            CatalogStore catalog,
            AuditRecorder audit,
            Clock clock,
            DecisionDefinitions definitions,
            PriceChangeAlerts priceAlerts) {
        this.priceAlerts = priceAlerts;
        this.catalog = catalog;
        this.audit = audit;
        this.clock = clock;
        this.definitions = definitions;
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
        check("", price);
        ModelPrice before = catalog.find(provider, model).orElse(null);
        Instant now = now();
        // a price read back and put again carries the current version's start: that means "from now", as none does
        boolean roundTrip = before != null
                && price.effectiveFrom() != null
                && price.effectiveFrom().equals(before.effectiveFrom());
        if (price.effectiveFrom() != null && !roundTrip && price.effectiveFrom().isBefore(now)) {
            throw RequestRejected.invalid(
                    "effectiveFrom",
                    "effectiveFrom " + price.effectiveFrom() + " is in the past: calls"
                            + " already priced keep their price; leave it out for a change from now, or give a future instant");
        }
        if (price.effectiveFrom() != null && !roundTrip && price.effectiveFrom().isAfter(now)) {
            if (before == null) {
                throw RequestRejected.invalid(
                        "effectiveFrom",
                        provider + "/" + model + " is not in the catalog: put its"
                                + " current price first, then schedule the next one");
            }
            ModelPrice scheduled = catalog.schedulePrice(
                    withKey(provider, model, operatorSource(price, actor)), price.effectiveFrom());
            audit.policyChange(actor, null, "model-price-scheduled", provider + "/" + model, before, scheduled, now);
            return scheduled;
        }
        definitions.pricesChanged();
        ModelPrice after = catalog.savePrice(withKey(provider, model, operatorSource(price, actor)), now);
        if (before == null || !after.version().equals(before.version())) {
            audit.policyChange(actor, null, "model-price", provider + "/" + model, before, after, now);
            if (before != null
                    && !PriceDiff.between(provider + "/" + model, before, after).isEmpty()) {
                priceAlerts.priceChanged(before, after);
            }
        }
        return after;
    }

    @Override
    @Transactional(readOnly = true)
    public ModelPrice getModel(String provider, String model) {
        return catalog.find(provider, model)
                .orElseThrow(
                        () -> RequestRejected.notFound("model " + provider + "/" + model + " is not in the catalog"));
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
    public CatalogImportResult importPrices(
            List<ModelPrice> prices, List<String> skipped, ApiPrincipal actor, boolean dryRun, boolean keepUnlisted) {
        ProjectAccess.require(actor, null, null);
        return apply(prices, skipped, actor, dryRun, keepUnlisted, null, null);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<String> lastSeed(String suffix) {
        return catalog.lastSeed(suffix);
    }

    @Override
    @Transactional
    public int activateScheduledPrices() {
        List<CatalogStore.PriceActivation> activated = catalog.activateDue(now());
        if (!activated.isEmpty()) {
            definitions.pricesChanged();
        }
        for (CatalogStore.PriceActivation activation : activated) {
            priceAlerts.priceChanged(activation.before(), activation.after());
        }
        return activated.size();
    }

    @Override
    @Transactional
    public Optional<CatalogImportResult> seed(String source, List<ModelPrice> prices, List<String> skipped) {
        CatalogStore.SeedSources seeded = catalog.seedSources();
        if (!catalog.claimSeed(source, now())) {
            return Optional.empty();
        }
        CatalogImportResult result = apply(prices, skipped, ApiPrincipal.SYSTEM, false, true, seeded, source);
        catalog.countSeed(
                source,
                result.updated().size(),
                result.unchanged().size(),
                result.skipped().size() - skipped.size());
        return Optional.of(result);
    }

    /**
     * The one import rule: every entry is checked before the first is written; a changed model gets a new price
     * version, audited per model, or as one change set named {@code changeSet}; PRICE_CHANGED alerts tell the projects
     * that used a repriced model. With {@code onlyFrom} (a seed), a model whose current price has a source that is not
     * a seed is kept (and named in {@code skipped}), and one priced from a hand-written seed takes the new source even
     * where the prices are equal.
     */
    private CatalogImportResult apply(
            List<ModelPrice> prices,
            List<String> skipped,
            ApiPrincipal actor,
            boolean dryRun,
            boolean keepUnlisted,
            CatalogStore.SeedSources onlyFrom,
            String changeSet) {
        for (ModelPrice price : prices) {
            check(price.provider() + "/" + price.model() + ".", price);
        }
        Instant now = now();
        if (!dryRun) {
            definitions.pricesChanged();
        }
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> notApplied = new ArrayList<>(skipped);
        List<CatalogImportResult.PriceChange> changes = new ArrayList<>();
        for (ModelPrice imported : prices) {
            ModelPrice before =
                    catalog.find(imported.provider(), imported.model()).orElse(null);
            String id = imported.provider() + "/" + imported.model();
            if (onlyFrom != null
                    && before != null
                    && (before.source() == null || !onlyFrom.all().contains(before.source()))) {
                notApplied.add(id + ": kept the price an operator set (source: " + before.source() + ")");
                continue;
            }
            ModelPrice price = keepUnlisted && before != null ? withUnlistedOf(before, imported) : imported;
            List<CatalogImportResult.PriceChange> changed = PriceDiff.between(id, before, price);
            boolean restamp =
                    onlyFrom != null && before != null && onlyFrom.handWritten().contains(before.source());
            if (changed.isEmpty() && !restamp) {
                unchanged.add(id);
                continue;
            }
            (changed.isEmpty() ? unchanged : updated).add(id);
            changes.addAll(changed);
            if (!dryRun) {
                ModelPrice saved = catalog.savePrice(price, now);
                if (changeSet == null) {
                    audit.policyChange(actor, null, "model-price", id, before, saved, now);
                }
                if (before != null && !changed.isEmpty()) {
                    priceAlerts.priceChanged(before, saved);
                }
            }
        }
        CatalogImportResult result = new CatalogImportResult(updated, unchanged, notApplied, dryRun, changes);
        if (!dryRun && changeSet != null) {
            audit.policyChange(actor, null, "catalog-change-set", changeSet, null, result, now);
        }
        return result;
    }

    /** {@code imported} with the fields a source that does not model them leaves empty taken from {@code current}. */
    private static ModelPrice withUnlistedOf(ModelPrice current, ModelPrice imported) {
        return new ModelPrice(
                imported.provider(),
                imported.model(),
                imported.inputPerToken(),
                imported.outputPerToken(),
                imported.cacheReadPerToken(),
                imported.cacheWritePerToken(),
                imported.reasoningPerToken() != null ? imported.reasoningPerToken() : current.reasoningPerToken(),
                imported.deprecationDate() != null ? imported.deprecationDate() : current.deprecationDate(),
                imported.tierThresholdInputTokens(),
                imported.inputPerTokenAboveTier(),
                imported.outputPerTokenAboveTier(),
                imported.source(),
                null,
                null,
                imported.cacheWrite1hPerToken() != null
                        ? imported.cacheWrite1hPerToken()
                        : current.cacheWrite1hPerToken(),
                imported.serviceTiers().isEmpty() ? current.serviceTiers() : imported.serviceTiers(),
                imported.cacheReadPerTokenAboveTier(),
                imported.cacheWritePerTokenAboveTier());
    }

    @Override
    @Transactional(readOnly = true)
    public List<ModelPrice> models() {
        return catalog.findAll();
    }

    /** The catalog holds hundreds of models, not millions: filtered and paged here, in one read. */
    @Override
    @Transactional(readOnly = true)
    public ModelCatalogPage listModels(String provider, Boolean deprecated, int page, int size) {
        if (page < 0) {
            throw RequestRejected.invalid("page", "page must not be negative");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw RequestRejected.invalid("size", "size must lie between 1 and " + MAX_PAGE_SIZE);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<ModelPrice> matching = catalog.findAll().stream()
                .filter(m -> provider == null || m.provider().equals(provider))
                .filter(m -> deprecated == null
                        || deprecated == (m.deprecationDate() != null && !today.isBefore(m.deprecationDate())))
                .sorted(Comparator.comparing(ModelPrice::provider).thenComparing(ModelPrice::model))
                .toList();
        long from = Math.min((long) page * size, matching.size());
        List<ModelPrice> slice = matching.subList((int) from, (int) Math.min(from + size, matching.size()));
        return new ModelCatalogPage(slice, page, size, matching.size());
    }

    /** The largest page {@link #listModels} serves. */
    public static final int MAX_PAGE_SIZE = 500;

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * A price put by hand may not carry the source of a seed or sync (a price read back and put again does): the next
     * seed would take it for its own and overwrite it. It then names who put it.
     */
    private ModelPrice operatorSource(ModelPrice price, ApiPrincipal actor) {
        if (price.source() == null || !catalog.seedSources().all().contains(price.source())) {
            return price;
        }
        return price.withSource("set by " + actor.name());
    }

    private static ModelPrice withKey(String provider, String model, ModelPrice p) {
        return p.as(provider, model);
    }

    private static final LocalDate FIRST_DATE = LocalDate.of(1, 1, 1);
    private static final LocalDate LAST_DATE = LocalDate.of(9999, 12, 31);

    /** Checks one entry; {@code prefix} places its fields in the request (empty for a single PUT). */
    private static void check(String prefix, ModelPrice price) {
        requirePrice(prefix + "inputPerToken", price.inputPerToken(), true);
        requirePrice(prefix + "outputPerToken", price.outputPerToken(), true);
        requirePrice(prefix + "cacheReadPerToken", price.cacheReadPerToken(), false);
        requirePrice(prefix + "cacheWritePerToken", price.cacheWritePerToken(), false);
        requirePrice(prefix + "reasoningPerToken", price.reasoningPerToken(), false);
        requirePrice(prefix + "inputPerTokenAboveTier", price.inputPerTokenAboveTier(), false);
        requirePrice(prefix + "outputPerTokenAboveTier", price.outputPerTokenAboveTier(), false);
        requirePrice(prefix + "cacheWrite1hPerToken", price.cacheWrite1hPerToken(), false);
        requirePrice(prefix + "cacheReadPerTokenAboveTier", price.cacheReadPerTokenAboveTier(), false);
        requirePrice(prefix + "cacheWritePerTokenAboveTier", price.cacheWritePerTokenAboveTier(), false);
        price.serviceTiers().forEach((tier, p) -> {
            String at = prefix + "serviceTiers." + tier + ".";
            requirePrice(at + "inputPerToken", p.inputPerToken(), false);
            requirePrice(at + "outputPerToken", p.outputPerToken(), false);
            requirePrice(at + "cacheReadPerToken", p.cacheReadPerToken(), false);
        });
        LocalDate deprecation = price.deprecationDate();
        if (deprecation != null && (deprecation.isBefore(FIRST_DATE) || deprecation.isAfter(LAST_DATE))) {
            // the database's date type ends in 5874897 AD; a date past 9999 is a typing error, not a plan
            throw RequestRejected.invalid(
                    prefix + "deprecationDate",
                    prefix + "deprecationDate must lie between " + FIRST_DATE + " and " + LAST_DATE);
        }
        Long threshold = price.tierThresholdInputTokens();
        if (threshold != null && threshold <= 0) {
            throw RequestRejected.invalid(
                    prefix + "tierThresholdInputTokens", prefix + "tierThresholdInputTokens must be positive");
        }
        if (threshold == null
                && (price.inputPerTokenAboveTier() != null
                        || price.outputPerTokenAboveTier() != null
                        || price.cacheReadPerTokenAboveTier() != null
                        || price.cacheWritePerTokenAboveTier() != null)) {
            throw RequestRejected.invalid(
                    prefix + "tierThresholdInputTokens",
                    prefix + "tierThresholdInputTokens is required with prices above the tier");
        }
    }

    static void requireSame(String field, String fromPath, String fromBody) {
        if (fromBody != null && !fromBody.equals(fromPath)) {
            throw RequestRejected.invalid(
                    field, field + " '" + fromBody + "' differs from the URL's '" + fromPath + "'");
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
                    field,
                    field + " must have at most " + Money.SCALE + " decimal places and " + Money.INTEGER_DIGITS
                            + " integer digits");
        }
    }
}
