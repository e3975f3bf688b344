package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.MODELS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.PROVIDERS;

import io.aiops.policy.adapter.out.persistence.jooq.tables.records.ModelsRecord;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.domain.Money;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/** The model catalog in the {@code providers} and {@code models} tables. */
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
  public void upsert(ModelPrice price) {
    // models need a provider row; a provider first seen here speaks the most common wire format
    db.insertInto(PROVIDERS, PROVIDERS.NAME, PROVIDERS.KIND)
        .values(price.provider(), "OPENAI_COMPATIBLE")
        .onConflict(PROVIDERS.NAME)
        .doNothing()
        .execute();
    ModelsRecord row = db.newRecord(MODELS);
    row.setProvider(price.provider());
    row.setModel(price.model());
    row.setInputPerToken(price.inputPerToken());
    row.setOutputPerToken(price.outputPerToken());
    row.setCacheReadPerToken(price.cacheReadPerToken());
    row.setCacheWritePerToken(price.cacheWritePerToken());
    row.setReasoningPerToken(price.reasoningPerToken());
    row.setDeprecationDate(price.deprecationDate());
    db.insertInto(MODELS)
        .set(row)
        .onConflict(MODELS.PROVIDER, MODELS.MODEL)
        .doUpdate()
        .set(row)
        .set(MODELS.UPDATED_AT, DSL.currentOffsetDateTime())
        .execute();
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
        r.getDeprecationDate());
  }
}
