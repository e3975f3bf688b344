package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RESERVATIONS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RESERVATION_EVENTS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RESERVATION_HOLDS;

import io.aiops.policy.adapter.out.persistence.jooq.tables.records.ReservationsRecord;
import io.aiops.policy.application.port.out.ReservationStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.springframework.stereotype.Repository;

/** Reservations and their holds in the {@code reservations} and {@code reservation_holds} tables. */
@Repository
class JooqReservationStore implements ReservationStore {

    private final DSLContext db;

    JooqReservationStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public void insert(HeldReservation reservation, Instant createdAt) {
        List<Query> inserts = new ArrayList<>();
        inserts.add(db.insertInto(RESERVATIONS)
                .set(RESERVATIONS.ID, reservation.id())
                .set(RESERVATIONS.DECISION_ID, reservation.decisionId())
                .set(RESERVATIONS.AMOUNT_USD, reservation.amountUsd())
                .set(RESERVATIONS.STATUS, reservation.status().name())
                .set(RESERVATIONS.CREATED_AT, ColumnValues.utc(createdAt))
                .set(RESERVATIONS.EXPIRES_AT, ColumnValues.utc(reservation.expiresAt())));
        for (Hold hold : reservation.holds()) {
            inserts.add(holdInsert(reservation.id(), hold));
        }
        // one round trip: the decision path holds budget window locks until it commits
        db.batch(inserts).execute();
    }

    private Query holdInsert(UUID reservationId, Hold hold) {
        return db.insertInto(RESERVATION_HOLDS)
                .set(RESERVATION_HOLDS.RESERVATION_ID, reservationId)
                .set(RESERVATION_HOLDS.BUDGET_ID, hold.budgetId())
                .set(RESERVATION_HOLDS.WINDOW_START, ColumnValues.utc(hold.windowStart()))
                .set(RESERVATION_HOLDS.AMOUNT_USD, hold.amountUsd())
                .set(RESERVATION_HOLDS.MODEL_PROVIDER, hold.modelProvider())
                .set(RESERVATION_HOLDS.MODEL_NAME, hold.modelName());
    }

    @Override
    public Optional<HeldReservation> findByDecision(UUID decisionId) {
        return db.selectFrom(RESERVATIONS)
                .where(RESERVATIONS.DECISION_ID.eq(decisionId))
                .fetchOptional(this::withHolds);
    }

    @Override
    public Optional<HeldReservation> lockByDecision(UUID decisionId) {
        return db.selectFrom(RESERVATIONS)
                .where(RESERVATIONS.DECISION_ID.eq(decisionId))
                .forUpdate()
                .fetchOptional(this::withHolds);
    }

    @Override
    public List<HeldReservation> lockExpiredOpen(Instant now, int limit) {
        return db.selectFrom(RESERVATIONS)
                .where(RESERVATIONS.STATUS.eq(Status.OPEN.name()))
                .and(RESERVATIONS.EXPIRES_AT.le(ColumnValues.utc(now)))
                .orderBy(RESERVATIONS.EXPIRES_AT)
                .limit(limit)
                .forUpdate()
                .skipLocked()
                .fetch(this::withHolds);
    }

    @Override
    public void close(UUID reservationId, Status status, Instant closedAt) {
        db.update(RESERVATIONS)
                .set(RESERVATIONS.STATUS, status.name())
                .set(RESERVATIONS.CLOSED_AT, ColumnValues.utc(closedAt))
                .where(RESERVATIONS.ID.eq(reservationId))
                .execute();
    }

    @Override
    public void recordEvent(
            UUID reservationId,
            EventKind kind,
            BigDecimal reservedReleased,
            BigDecimal spentPosted,
            Instant occurredAt) {
        db.insertInto(RESERVATION_EVENTS)
                .set(RESERVATION_EVENTS.RESERVATION_ID, reservationId)
                .set(RESERVATION_EVENTS.KIND, kind.name())
                .set(RESERVATION_EVENTS.RESERVED_RELEASED_USD, reservedReleased)
                .set(RESERVATION_EVENTS.SPENT_POSTED_USD, spentPosted)
                .set(RESERVATION_EVENTS.OCCURRED_AT, ColumnValues.utc(occurredAt))
                .execute();
    }

    private HeldReservation withHolds(ReservationsRecord r) {
        List<Hold> holds = db.selectFrom(RESERVATION_HOLDS)
                .where(RESERVATION_HOLDS.RESERVATION_ID.eq(r.getId()))
                .fetch(h -> new Hold(
                        h.getBudgetId(),
                        ColumnValues.instant(h.getWindowStart()),
                        h.getAmountUsd(),
                        h.getModelProvider(),
                        h.getModelName()));
        holds.sort(LOCK_ORDER);
        return new HeldReservation(
                r.getId(),
                r.getDecisionId(),
                r.getAmountUsd(),
                Status.valueOf(r.getStatus()),
                ColumnValues.instant(r.getExpiresAt()),
                holds);
    }
}
