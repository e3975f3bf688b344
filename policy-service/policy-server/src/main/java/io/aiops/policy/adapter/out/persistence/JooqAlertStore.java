package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.ALERTS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.ALERT_DELIVERIES;

import com.fasterxml.jackson.core.type.TypeReference;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.AlertDeliveriesRecord;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.AlertsRecord;
import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.FiredAlert.Delivery;
import io.aiops.policy.api.FiredAlert.DeliveryState;
import io.aiops.policy.application.port.out.AlertStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * Fired alerts in {@code alerts} (unique per rule, subject and period) and their outbox {@code alert_deliveries}.
 */
@Repository
class JooqAlertStore implements AlertStore {

    /** A listing is bounded; narrow the time range for more. */
    private static final int MAX_LISTED = 1000;

    private final DSLContext db;

    JooqAlertStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public boolean recordIfNew(FiredAlert alert, List<NewDelivery> deliveries) {
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            int inserted = t.insertInto(ALERTS)
                    .set(ALERTS.ID, alert.id())
                    .set(ALERTS.RULE_ID, alert.ruleId())
                    .set(ALERTS.KIND, alert.kind().name())
                    .set(ALERTS.PROJECT, alert.project())
                    .set(ALERTS.SUBJECT, alert.subject())
                    .set(ALERTS.PERIOD, alert.period())
                    .set(ALERTS.MESSAGE, alert.message())
                    .set(ALERTS.DETAILS, ColumnValues.toJsonb(alert.details()))
                    .set(ALERTS.FIRED_AT, ColumnValues.utc(alert.firedAt()))
                    // the unique key decides: a second evaluation or another replica inserts nothing
                    .onConflict(ALERTS.RULE_ID, ALERTS.SUBJECT, ALERTS.PERIOD)
                    .doNothing()
                    .execute();
            if (inserted == 0) {
                return false;
            }
            for (NewDelivery delivery : deliveries) {
                t.insertInto(ALERT_DELIVERIES)
                        .set(ALERT_DELIVERIES.ALERT_ID, alert.id())
                        .set(ALERT_DELIVERIES.CHANNEL, delivery.channel())
                        .set(ALERT_DELIVERIES.TARGET, delivery.target())
                        .set(ALERT_DELIVERIES.STATE, DeliveryState.PENDING.name())
                        .set(ALERT_DELIVERIES.NEXT_ATTEMPT_AT, ColumnValues.utc(alert.firedAt()))
                        .execute();
            }
            return true;
        });
    }

    @Override
    public List<DueDelivery> claimDue(Instant now, Instant leaseUntil, int limit) {
        var due = DSL.select(ALERT_DELIVERIES.ALERT_ID, ALERT_DELIVERIES.CHANNEL)
                .from(ALERT_DELIVERIES)
                .where(ALERT_DELIVERIES.STATE.eq(DeliveryState.PENDING.name()))
                .and(ALERT_DELIVERIES.NEXT_ATTEMPT_AT.le(ColumnValues.utc(now)))
                .orderBy(ALERT_DELIVERIES.NEXT_ATTEMPT_AT)
                .limit(limit)
                // rows another deliverer is claiming right now are skipped, not waited for
                .forUpdate()
                .skipLocked();
        List<AlertDeliveriesRecord> claimed = db.update(ALERT_DELIVERIES)
                .set(ALERT_DELIVERIES.NEXT_ATTEMPT_AT, ColumnValues.utc(leaseUntil))
                .where(DSL.row(ALERT_DELIVERIES.ALERT_ID, ALERT_DELIVERIES.CHANNEL)
                        .in(due))
                .returning()
                .fetch();
        if (claimed.isEmpty()) {
            return List.of();
        }
        Map<UUID, FiredAlert> alerts = db
                .selectFrom(ALERTS)
                .where(ALERTS.ID.in(
                        claimed.stream().map(AlertDeliveriesRecord::getAlertId).toList()))
                .fetch()
                .stream()
                .collect(Collectors.toMap(AlertsRecord::getId, r -> toAlert(r, List.of())));
        return claimed.stream()
                .map(d -> new DueDelivery(alerts.get(d.getAlertId()), d.getChannel(), d.getTarget(), d.getAttempts()))
                .toList();
    }

    @Override
    public void delivered(UUID alertId, String channel, int attempts, Instant at) {
        db.update(ALERT_DELIVERIES)
                .set(ALERT_DELIVERIES.STATE, DeliveryState.DELIVERED.name())
                .set(ALERT_DELIVERIES.ATTEMPTS, attempts)
                .setNull(ALERT_DELIVERIES.NEXT_ATTEMPT_AT)
                .set(ALERT_DELIVERIES.DELIVERED_AT, ColumnValues.utc(at))
                .where(ALERT_DELIVERIES.ALERT_ID.eq(alertId))
                .and(ALERT_DELIVERIES.CHANNEL.eq(channel))
                .and(ALERT_DELIVERIES.STATE.eq(DeliveryState.PENDING.name()))
                .execute();
    }

    @Override
    public void attemptFailed(UUID alertId, String channel, int attempts, String error, Instant nextAttemptAt) {
        db.update(ALERT_DELIVERIES)
                .set(
                        ALERT_DELIVERIES.STATE,
                        (nextAttemptAt == null ? DeliveryState.FAILED : DeliveryState.PENDING).name())
                .set(ALERT_DELIVERIES.ATTEMPTS, attempts)
                .set(ALERT_DELIVERIES.NEXT_ATTEMPT_AT, ColumnValues.utc(nextAttemptAt))
                .set(ALERT_DELIVERIES.LAST_ERROR, error)
                .where(ALERT_DELIVERIES.ALERT_ID.eq(alertId))
                .and(ALERT_DELIVERIES.CHANNEL.eq(channel))
                // a delivery recorded as delivered (by a deliverer whose lease ran out meanwhile) stays delivered
                .and(ALERT_DELIVERIES.STATE.eq(DeliveryState.PENDING.name()))
                .execute();
    }

    @Override
    public List<FiredAlert> list(Instant from, Instant to, List<String> projects, DeliveryState state) {
        Condition where = ALERTS.FIRED_AT.ge(ColumnValues.utc(from)).and(ALERTS.FIRED_AT.lt(ColumnValues.utc(to)));
        if (!projects.isEmpty()) {
            where = where.and(ALERTS.PROJECT.in(projects));
        }
        if (state != null) {
            // in SQL rather than after the limit, so an old FAILED alert is not hidden behind a thousand newer ones
            where = where.and(inState(state));
        }
        List<AlertsRecord> rows = db.selectFrom(ALERTS)
                .where(where)
                .orderBy(ALERTS.FIRED_AT.desc(), ALERTS.ID)
                .limit(MAX_LISTED)
                .fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<Delivery>> deliveries = db
                .selectFrom(ALERT_DELIVERIES)
                .where(ALERT_DELIVERIES.ALERT_ID.in(
                        rows.stream().map(AlertsRecord::getId).toList()))
                .orderBy(ALERT_DELIVERIES.CHANNEL)
                .fetch()
                .stream()
                .collect(Collectors.groupingBy(
                        AlertDeliveriesRecord::getAlertId,
                        Collectors.mapping(JooqAlertStore::toDelivery, Collectors.toList())));
        List<FiredAlert> alerts = new ArrayList<>();
        for (AlertsRecord row : rows) {
            alerts.add(toAlert(row, deliveries.getOrDefault(row.getId(), List.of())));
        }
        return alerts;
    }

    /** The SQL form of {@link #summary}. */
    private static Condition inState(DeliveryState state) {
        Condition any = DSL.exists(deliveriesOfAlert(DSL.noCondition()));
        Condition failed = DSL.exists(deliveriesOfAlert(ALERT_DELIVERIES.STATE.eq(DeliveryState.FAILED.name())));
        return switch (state) {
            case NONE -> DSL.not(any);
            case FAILED -> failed;
            case DELIVERED ->
                any.and(DSL.notExists(deliveriesOfAlert(ALERT_DELIVERIES.STATE.ne(DeliveryState.DELIVERED.name()))));
            case PENDING ->
                DSL.exists(deliveriesOfAlert(ALERT_DELIVERIES.STATE.eq(DeliveryState.PENDING.name())))
                        .and(DSL.not(failed));
        };
    }

    private static org.jooq.Select<?> deliveriesOfAlert(Condition condition) {
        return DSL.selectOne()
                .from(ALERT_DELIVERIES)
                .where(ALERT_DELIVERIES.ALERT_ID.eq(ALERTS.ID))
                .and(condition);
    }

    private static Delivery toDelivery(AlertDeliveriesRecord d) {
        return new Delivery(
                d.getChannel(),
                d.getTarget(),
                DeliveryState.valueOf(d.getState()),
                d.getAttempts(),
                ColumnValues.instant(d.getNextAttemptAt()),
                d.getLastError(),
                ColumnValues.instant(d.getDeliveredAt()));
    }

    private static FiredAlert toAlert(AlertsRecord r, List<Delivery> deliveries) {
        return new FiredAlert(
                r.getId(),
                r.getRuleId(),
                AlertRule.AlertKind.valueOf(r.getKind()),
                r.getProject(),
                r.getSubject(),
                r.getPeriod(),
                r.getMessage(),
                ColumnValues.fromJsonb(r.getDetails(), new TypeReference<Map<String, String>>() {}),
                ColumnValues.instant(r.getFiredAt()),
                summary(deliveries),
                deliveries);
    }

    /** NONE without channels, FAILED when one gave up, DELIVERED when all were, PENDING otherwise. */
    private static DeliveryState summary(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return DeliveryState.NONE;
        }
        if (deliveries.stream().anyMatch(d -> d.state() == DeliveryState.FAILED)) {
            return DeliveryState.FAILED;
        }
        return deliveries.stream().allMatch(d -> d.state() == DeliveryState.DELIVERED)
                ? DeliveryState.DELIVERED
                : DeliveryState.PENDING;
    }
}
