package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CATALOG_SEEDS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.MODELS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.MODEL_PRICE_VERSIONS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.PROVIDERS;

import com.fasterxml.jackson.core.type.TypeReference;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.ModelPriceVersionsRecord;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.ModelsRecord;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.ModelPrice.TierPrices;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.domain.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** The model catalog in the {@code providers}, {@code models} and {@code model_price_versions} tables. */
@Repository
class JooqCatalogStore implements CatalogStore {

    private final DSLContext db;

    JooqCatalogStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<ModelPrice> findAll() {
        return db.selectFrom(MODELS).orderBy(MODELS.PROVIDER, MODELS.MODEL).fetch(JooqCatalogStore::toPrice);
    }

    @Override
    public Optional<ModelPrice> find(String provider, String model) {
        return db.selectFrom(MODELS)
                .where(MODELS.PROVIDER.eq(provider).and(MODELS.MODEL.eq(model)))
                .fetchOptional(JooqCatalogStore::toPrice);
    }

    @Override
    public Optional<ModelPrice> findInForce(String provider, String model, Instant at) {
        var versions = MODEL_PRICE_VERSIONS;
        var ofModel = versions.PROVIDER.eq(provider).and(versions.MODEL.eq(model));
        Optional<ModelPrice> inForce = db.selectFrom(versions)
                .where(ofModel)
                .and(versions.EFFECTIVE_FROM.le(ColumnValues.utc(at)))
                .orderBy(versions.EFFECTIVE_FROM.desc(), versions.VERSION.desc())
                .limit(1)
                .fetchOptional(JooqCatalogStore::toPrice);
        if (inForce.isPresent()) {
            return inForce;
        }
        return db.selectFrom(versions)
                .where(ofModel)
                .orderBy(versions.VERSION)
                .limit(1)
                .fetchOptional(JooqCatalogStore::toPrice);
    }

    @Override
    public List<ModelPrice> versions(String provider, String model) {
        return db.selectFrom(MODEL_PRICE_VERSIONS)
                .where(MODEL_PRICE_VERSIONS.PROVIDER.eq(provider).and(MODEL_PRICE_VERSIONS.MODEL.eq(model)))
                .orderBy(MODEL_PRICE_VERSIONS.VERSION)
                .fetch(JooqCatalogStore::toPrice);
    }

    @Override
    public ModelPrice savePrice(ModelPrice price, Instant effectiveFrom) {
        lockProvider(price.provider());
        ModelsRecord current = db.selectFrom(MODELS)
                .where(MODELS.PROVIDER.eq(price.provider()).and(MODELS.MODEL.eq(price.model())))
                .fetchOne();
        if (current != null
                && samePrice(toPrice(current), price)
                && Objects.equals(current.getPriceSource(), price.source())) {
            return toPrice(current);
        }
        int version = nextVersion(price.provider(), price.model());
        writeCurrent(price, version, effectiveFrom);
        writeVersion(price, version, effectiveFrom);
        return find(price.provider(), price.model()).orElseThrow();
    }

    @Override
    public ModelPrice schedulePrice(ModelPrice price, Instant effectiveFrom) {
        lockProvider(price.provider());
        int version = nextVersion(price.provider(), price.model());
        writeVersion(price, version, effectiveFrom);
        return db.selectFrom(MODEL_PRICE_VERSIONS)
                .where(MODEL_PRICE_VERSIONS
                        .PROVIDER
                        .eq(price.provider())
                        .and(MODEL_PRICE_VERSIONS.MODEL.eq(price.model()))
                        .and(MODEL_PRICE_VERSIONS.VERSION.eq(version)))
                .fetchOne(JooqCatalogStore::toPrice);
    }

    @Override
    public List<PriceActivation> activateDue(Instant now) {
        var v = MODEL_PRICE_VERSIONS;
        var latest = MODEL_PRICE_VERSIONS.as("latest");
        // per model, the latest version in force now, when it started after the current one
        List<ModelPriceVersionsRecord> due = db.selectFrom(v)
                .where(v.EFFECTIVE_FROM.le(ColumnValues.utc(now)))
                .and(DSL.exists(DSL.selectOne()
                        .from(MODELS)
                        .where(MODELS.PROVIDER
                                .eq(v.PROVIDER)
                                .and(MODELS.MODEL.eq(v.MODEL))
                                .and(MODELS.PRICE_EFFECTIVE_FROM.lt(v.EFFECTIVE_FROM)))))
                .and(DSL.notExists(DSL.selectOne()
                        .from(latest)
                        .where(latest.PROVIDER
                                .eq(v.PROVIDER)
                                .and(latest.MODEL.eq(v.MODEL))
                                .and(latest.EFFECTIVE_FROM.le(ColumnValues.utc(now)))
                                .and(latest.EFFECTIVE_FROM
                                        .gt(v.EFFECTIVE_FROM)
                                        .or(latest.EFFECTIVE_FROM
                                                .eq(v.EFFECTIVE_FROM)
                                                .and(latest.VERSION.gt(v.VERSION)))))))
                .orderBy(v.PROVIDER, v.MODEL)
                .fetch();
        List<PriceActivation> activated = new ArrayList<>();
        for (ModelPriceVersionsRecord row : due) {
            lockProvider(row.getProvider());
            ModelsRecord current = db.selectFrom(MODELS)
                    .where(MODELS.PROVIDER.eq(row.getProvider()).and(MODELS.MODEL.eq(row.getModel())))
                    .fetchOne();
            if (current == null || !current.getPriceEffectiveFrom().isBefore(row.getEffectiveFrom())) {
                continue; // another instance activated it meanwhile
            }
            ModelPrice after = toPrice(row);
            writeCurrent(after, row.getVersion(), ColumnValues.instant(row.getEffectiveFrom()));
            activated.add(new PriceActivation(
                    toPrice(current), find(row.getProvider(), row.getModel()).orElseThrow()));
        }
        return activated;
    }

    /**
     * Price changes of one provider take turns, so version numbers never collide (NO KEY UPDATE leaves the foreign-key
     * checks of decisions and calls unblocked); a provider first seen here speaks the most common wire format.
     */
    private void lockProvider(String provider) {
        db.insertInto(PROVIDERS, PROVIDERS.NAME, PROVIDERS.KIND)
                .values(provider, "OPENAI_COMPATIBLE")
                .onConflict(PROVIDERS.NAME)
                .doNothing()
                .execute();
        db.selectOne()
                .from(PROVIDERS)
                .where(PROVIDERS.NAME.eq(provider))
                .forNoKeyUpdate()
                .execute();
    }

    /** One more than the model's highest version, scheduled ones included. */
    private int nextVersion(String provider, String model) {
        Integer highest = db.select(DSL.max(MODEL_PRICE_VERSIONS.VERSION))
                .from(MODEL_PRICE_VERSIONS)
                .where(MODEL_PRICE_VERSIONS.PROVIDER.eq(provider).and(MODEL_PRICE_VERSIONS.MODEL.eq(model)))
                .fetchOne(0, Integer.class);
        return highest == null ? 1 : highest + 1;
    }

    /** Makes {@code price} the model's current entry. */
    private void writeCurrent(ModelPrice price, int version, Instant effectiveFrom) {
        ModelsRecord row = db.newRecord(MODELS);
        row.setProvider(price.provider());
        row.setModel(price.model());
        row.setInputPerToken(price.inputPerToken());
        row.setOutputPerToken(price.outputPerToken());
        row.setCacheReadPerToken(price.cacheReadPerToken());
        row.setCacheWritePerToken(price.cacheWritePerToken());
        row.setReasoningPerToken(price.reasoningPerToken());
        row.setDeprecationDate(price.deprecationDate());
        row.setTierThresholdInputTokens(price.tierThresholdInputTokens());
        row.setInputPerTokenAboveTier(price.inputPerTokenAboveTier());
        row.setOutputPerTokenAboveTier(price.outputPerTokenAboveTier());
        row.setPriceSource(price.source());
        row.setCacheWrite_1hPerToken(price.cacheWrite1hPerToken());
        row.setServiceTiers(ColumnValues.toJsonb(price.serviceTiers()));
        row.setCacheReadPerTokenAboveTier(price.cacheReadPerTokenAboveTier());
        row.setCacheWritePerTokenAboveTier(price.cacheWritePerTokenAboveTier());
        row.setPriceVersion(version);
        row.setPriceEffectiveFrom(ColumnValues.utc(effectiveFrom));
        db.insertInto(MODELS)
                .set(row)
                .onConflict(MODELS.PROVIDER, MODELS.MODEL)
                .doUpdate()
                .set(row)
                .set(MODELS.UPDATED_AT, DSL.currentOffsetDateTime())
                .execute();
    }

    private void writeVersion(ModelPrice price, int version, Instant effectiveFrom) {
        db.insertInto(MODEL_PRICE_VERSIONS)
                .set(MODEL_PRICE_VERSIONS.PROVIDER, price.provider())
                .set(MODEL_PRICE_VERSIONS.MODEL, price.model())
                .set(MODEL_PRICE_VERSIONS.VERSION, version)
                .set(MODEL_PRICE_VERSIONS.EFFECTIVE_FROM, ColumnValues.utc(effectiveFrom))
                .set(MODEL_PRICE_VERSIONS.INPUT_PER_TOKEN, price.inputPerToken())
                .set(MODEL_PRICE_VERSIONS.OUTPUT_PER_TOKEN, price.outputPerToken())
                .set(MODEL_PRICE_VERSIONS.CACHE_READ_PER_TOKEN, price.cacheReadPerToken())
                .set(MODEL_PRICE_VERSIONS.CACHE_WRITE_PER_TOKEN, price.cacheWritePerToken())
                .set(MODEL_PRICE_VERSIONS.REASONING_PER_TOKEN, price.reasoningPerToken())
                .set(MODEL_PRICE_VERSIONS.DEPRECATION_DATE, price.deprecationDate())
                .set(MODEL_PRICE_VERSIONS.TIER_THRESHOLD_INPUT_TOKENS, price.tierThresholdInputTokens())
                .set(MODEL_PRICE_VERSIONS.INPUT_PER_TOKEN_ABOVE_TIER, price.inputPerTokenAboveTier())
                .set(MODEL_PRICE_VERSIONS.OUTPUT_PER_TOKEN_ABOVE_TIER, price.outputPerTokenAboveTier())
                .set(MODEL_PRICE_VERSIONS.SOURCE, price.source())
                .set(MODEL_PRICE_VERSIONS.CACHE_WRITE_1H_PER_TOKEN, price.cacheWrite1hPerToken())
                .set(MODEL_PRICE_VERSIONS.SERVICE_TIERS, ColumnValues.toJsonb(price.serviceTiers()))
                .set(MODEL_PRICE_VERSIONS.CACHE_READ_PER_TOKEN_ABOVE_TIER, price.cacheReadPerTokenAboveTier())
                .set(MODEL_PRICE_VERSIONS.CACHE_WRITE_PER_TOKEN_ABOVE_TIER, price.cacheWritePerTokenAboveTier())
                .execute();
    }

    /** Same prices, tier and deprecation date (the source is compared apart). */
    private static boolean samePrice(ModelPrice a, ModelPrice b) {
        return same(a.inputPerToken(), b.inputPerToken())
                && same(a.outputPerToken(), b.outputPerToken())
                && same(a.cacheReadPerToken(), b.cacheReadPerToken())
                && same(a.cacheWritePerToken(), b.cacheWritePerToken())
                && same(a.reasoningPerToken(), b.reasoningPerToken())
                && Objects.equals(a.deprecationDate(), b.deprecationDate())
                && Objects.equals(a.tierThresholdInputTokens(), b.tierThresholdInputTokens())
                && same(a.inputPerTokenAboveTier(), b.inputPerTokenAboveTier())
                && same(a.outputPerTokenAboveTier(), b.outputPerTokenAboveTier())
                && same(a.cacheWrite1hPerToken(), b.cacheWrite1hPerToken())
                && sameTiers(a.serviceTiers(), b.serviceTiers())
                && same(a.cacheReadPerTokenAboveTier(), b.cacheReadPerTokenAboveTier())
                && same(a.cacheWritePerTokenAboveTier(), b.cacheWritePerTokenAboveTier());
    }

    private static boolean sameTiers(Map<String, TierPrices> a, Map<String, TierPrices> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (var entry : a.entrySet()) {
            TierPrices x = entry.getValue();
            TierPrices y = b.get(entry.getKey());
            if (!same(x.inputPerToken(), y.inputPerToken())
                    || !same(x.outputPerToken(), y.outputPerToken())
                    || !same(x.cacheReadPerToken(), y.cacheReadPerToken())) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    private static ModelPrice toPrice(ModelsRecord r) {
        return new ModelPrice(
                r.getProvider(),
                r.getModel(),
                Money.shown(r.getInputPerToken()),
                Money.shown(r.getOutputPerToken()),
                Money.shown(r.getCacheReadPerToken()),
                Money.shown(r.getCacheWritePerToken()),
                Money.shown(r.getReasoningPerToken()),
                r.getDeprecationDate(),
                r.getTierThresholdInputTokens(),
                Money.shown(r.getInputPerTokenAboveTier()),
                Money.shown(r.getOutputPerTokenAboveTier()),
                r.getPriceSource(),
                r.getPriceVersion(),
                ColumnValues.instant(r.getPriceEffectiveFrom()),
                Money.shown(r.getCacheWrite_1hPerToken()),
                tiers(r.getServiceTiers()),
                Money.shown(r.getCacheReadPerTokenAboveTier()),
                Money.shown(r.getCacheWritePerTokenAboveTier()));
    }

    private static ModelPrice toPrice(ModelPriceVersionsRecord r) {
        return new ModelPrice(
                r.getProvider(),
                r.getModel(),
                Money.shown(r.getInputPerToken()),
                Money.shown(r.getOutputPerToken()),
                Money.shown(r.getCacheReadPerToken()),
                Money.shown(r.getCacheWritePerToken()),
                Money.shown(r.getReasoningPerToken()),
                r.getDeprecationDate(),
                r.getTierThresholdInputTokens(),
                Money.shown(r.getInputPerTokenAboveTier()),
                Money.shown(r.getOutputPerTokenAboveTier()),
                r.getSource(),
                r.getVersion(),
                ColumnValues.instant(r.getEffectiveFrom()),
                Money.shown(r.getCacheWrite_1hPerToken()),
                tiers(r.getServiceTiers()),
                Money.shown(r.getCacheReadPerTokenAboveTier()),
                Money.shown(r.getCacheWritePerTokenAboveTier()));
    }

    @Override
    public SeedSources seedSources() {
        var rows = db.select(CATALOG_SEEDS.SOURCE, CATALOG_SEEDS.HAND_WRITTEN)
                .from(CATALOG_SEEDS)
                .fetch();
        return new SeedSources(
                Set.copyOf(rows.getValues(CATALOG_SEEDS.SOURCE)),
                rows.stream().filter(r -> r.value2()).map(r -> r.value1()).collect(Collectors.toUnmodifiableSet()));
    }

    @Override
    public boolean claimSeed(String source, Instant now) {
        return db.insertInto(CATALOG_SEEDS)
                        .set(CATALOG_SEEDS.SOURCE, source)
                        .set(CATALOG_SEEDS.APPLIED_AT, ColumnValues.utc(now))
                        .onConflictDoNothing()
                        .execute()
                == 1;
    }

    @Override
    public Optional<String> lastSeed(String suffix) {
        return db.select(CATALOG_SEEDS.SOURCE)
                .from(CATALOG_SEEDS)
                .where(CATALOG_SEEDS.SOURCE.endsWith(suffix))
                .orderBy(CATALOG_SEEDS.APPLIED_ORDER.desc())
                .limit(1)
                .fetchOptional(CATALOG_SEEDS.SOURCE);
    }

    @Override
    public void countSeed(String source, int updated, int unchanged, int kept) {
        db.update(CATALOG_SEEDS)
                .set(CATALOG_SEEDS.UPDATED, updated)
                .set(CATALOG_SEEDS.UNCHANGED, unchanged)
                .set(CATALOG_SEEDS.KEPT, kept)
                .where(CATALOG_SEEDS.SOURCE.eq(source))
                .execute();
    }

    private static final TypeReference<Map<String, TierPrices>> TIERS = new TypeReference<>() {};

    private static Map<String, TierPrices> tiers(JSONB json) {
        Map<String, TierPrices> tiers = ColumnValues.fromJsonb(json, TIERS);
        if (tiers == null) {
            return Map.of();
        }
        Map<String, TierPrices> shown = new TreeMap<>();
        tiers.forEach((tier, p) -> shown.put(
                tier,
                new TierPrices(
                        Money.shown(p.inputPerToken()),
                        Money.shown(p.outputPerToken()),
                        Money.shown(p.cacheReadPerToken()))));
        return shown;
    }
}
