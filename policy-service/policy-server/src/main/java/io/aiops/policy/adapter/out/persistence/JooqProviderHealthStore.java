package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.PROVIDER_HEALTH;

import io.aiops.policy.adapter.out.persistence.jooq.tables.records.ProviderHealthRecord;
import io.aiops.policy.api.ProviderHealth;
import io.aiops.policy.application.port.out.ProviderHealthStore;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/** Circuit-state reports in the {@code provider_health} table, one row per worker and model. */
@Repository
class JooqProviderHealthStore implements ProviderHealthStore {

    private final DSLContext db;

    JooqProviderHealthStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public void upsert(ProviderHealth report, Instant receivedAt) {
        ProviderHealthRecord row = db.newRecord(PROVIDER_HEALTH);
        row.setProvider(report.provider());
        row.setModel(report.model());
        row.setReporter(report.reporter());
        row.setState(report.state().name());
        row.setObservedAt(ColumnValues.utc(report.observedAt()));
        row.setReceivedAt(ColumnValues.utc(receivedAt));
        // reports can overtake each other on the wire: an older observation never replaces a newer one
        db.insertInto(PROVIDER_HEALTH)
                .set(row)
                .onConflict(PROVIDER_HEALTH.PROVIDER, PROVIDER_HEALTH.MODEL, PROVIDER_HEALTH.REPORTER)
                .doUpdate()
                .set(PROVIDER_HEALTH.STATE, row.getState())
                .set(PROVIDER_HEALTH.OBSERVED_AT, row.getObservedAt())
                .set(PROVIDER_HEALTH.RECEIVED_AT, row.getReceivedAt())
                .where(PROVIDER_HEALTH.OBSERVED_AT.le(row.getObservedAt()))
                .execute();
    }

    @Override
    public List<ProviderHealth> findAll() {
        return db.selectFrom(PROVIDER_HEALTH)
                .orderBy(PROVIDER_HEALTH.PROVIDER, PROVIDER_HEALTH.MODEL, PROVIDER_HEALTH.REPORTER)
                .fetch(r -> new ProviderHealth(
                        r.getProvider(),
                        r.getModel(),
                        ProviderHealth.CircuitState.valueOf(r.getState()),
                        r.getReporter(),
                        ColumnValues.instant(r.getObservedAt())));
    }
}
