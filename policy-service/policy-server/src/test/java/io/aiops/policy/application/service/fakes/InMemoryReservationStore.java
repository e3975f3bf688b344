package io.aiops.policy.application.service.fakes;

import io.aiops.policy.application.port.out.ReservationStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reservations, their holds and their events in maps, as the {@code reservations}, {@code reservation_holds} and
 * {@code reservation_events} tables keep them: one reservation per decision, holds read back in
 * {@link ReservationStore#LOCK_ORDER}. Reservations are written by {@link InMemoryDecisionStore#book} (new ones and
 * redeliveries held again), closed by outcomes and the expiry job. There is no concurrency, so a lock is only a read;
 * {@link #whileNextLockWaits} lets a test play what another request did while this one waited for the row lock.
 */
public final class InMemoryReservationStore implements ReservationStore {

    /** A money movement as the {@code reservation_events} table records it ({@code reservedHeld}: REHELD only). */
    public record Event(
            UUID reservationId,
            EventKind kind,
            BigDecimal reservedReleased,
            BigDecimal spentPosted,
            BigDecimal reservedHeld,
            Instant occurredAt) {

        /** {@code KIND released posted held}, amounts without trailing zeros: easy to compare in a test. */
        @Override
        public String toString() {
            return kind + " " + plain(reservedReleased) + " " + plain(spentPosted) + " " + plain(reservedHeld);
        }

        private static String plain(BigDecimal amount) {
            return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
        }
    }

    private static final class Row {
        final UUID id;
        final UUID decisionId;
        BigDecimal amountUsd;
        Status status;
        Instant expiresAt;
        final Instant createdAt;
        Instant closedAt;
        final List<Hold> holds = new ArrayList<>();

        Row(HeldReservation r, Instant createdAt) {
            this.id = r.id();
            this.decisionId = r.decisionId();
            this.amountUsd = r.amountUsd();
            this.status = r.status();
            this.expiresAt = r.expiresAt();
            this.createdAt = createdAt;
            this.holds.addAll(r.holds());
        }

        HeldReservation snapshot() {
            List<Hold> sorted = new ArrayList<>(holds);
            sorted.sort(LOCK_ORDER);
            return new HeldReservation(id, decisionId, amountUsd, status, expiresAt, List.copyOf(sorted));
        }
    }

    private final Map<UUID, Row> rows = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private Runnable whileNextLockWaits;

    @Override
    public void insert(HeldReservation reservation, Instant createdAt) {
        if (rows.containsKey(reservation.id())) {
            throw new IllegalStateException("reservation " + reservation.id() + " exists");
        }
        if (findByDecision(reservation.decisionId()).isPresent()) {
            throw new IllegalStateException("decision " + reservation.decisionId() + " has a reservation already");
        }
        rows.put(reservation.id(), new Row(reservation, createdAt));
    }

    @Override
    public Optional<HeldReservation> lockByDecision(UUID decisionId) {
        waitForLock();
        return findByDecision(decisionId);
    }

    /** The reservation's row, locked as {@code book_decisions} locks a redelivery's reservation first. */
    Optional<HeldReservation> lockById(UUID reservationId) {
        waitForLock();
        return Optional.ofNullable(rows.get(reservationId)).map(Row::snapshot);
    }

    private void waitForLock() {
        Runnable concurrent = whileNextLockWaits;
        if (concurrent != null) {
            whileNextLockWaits = null;
            concurrent.run();
        }
    }

    @Override
    public List<HeldReservation> lockExpiredOpen(Instant now, int limit) {
        return rows.values().stream()
                .filter(r -> r.status == Status.OPEN && !r.expiresAt.isAfter(now))
                .sorted(Comparator.comparing((Row r) -> r.expiresAt))
                .limit(limit)
                .map(Row::snapshot)
                .toList();
    }

    @Override
    public void close(UUID reservationId, Status status, Instant closedAt) {
        Row row = row(reservationId);
        row.status = status;
        row.closedAt = closedAt;
    }

    @Override
    public void recordEvent(
            UUID reservationId,
            EventKind kind,
            BigDecimal reservedReleased,
            BigDecimal spentPosted,
            Instant occurredAt) {
        row(reservationId);
        events.add(new Event(reservationId, kind, reservedReleased, spentPosted, BigDecimal.ZERO, occurredAt));
    }

    /** A redelivery held the money again: new holds, OPEN until {@code expiresAt}, and the REHELD event. */
    void reopen(UUID reservationId, BigDecimal amountUsd, List<Hold> holds, Instant expiresAt, Instant now) {
        Row row = row(reservationId);
        row.holds.clear();
        row.holds.addAll(holds);
        row.status = Status.OPEN;
        row.closedAt = null;
        row.expiresAt = expiresAt;
        events.add(new Event(reservationId, EventKind.REHELD, BigDecimal.ZERO, BigDecimal.ZERO, amountUsd, now));
    }

    @Override
    public Optional<HeldReservation> findByDecision(UUID decisionId) {
        return rows.values().stream()
                .filter(r -> r.decisionId.equals(decisionId))
                .findFirst()
                .map(Row::snapshot);
    }

    /** The reservation's events, oldest first. */
    public List<Event> events(UUID reservationId) {
        return events.stream()
                .filter(e -> e.reservationId().equals(reservationId))
                .toList();
    }

    /**
     * Runs {@code concurrent} once, inside the next lock of a reservation row (an outcome's {@link #lockByDecision}, a
     * redelivery's booking) before the row is read: what another request committed while this one waited for the lock.
     * A concurrent decision must come through another replica's service: this one's {@code DecisionBooker} is busy
     * with the waiting request on the same thread.
     */
    public void whileNextLockWaits(Runnable concurrent) {
        this.whileNextLockWaits = concurrent;
    }

    private Row row(UUID reservationId) {
        Row row = rows.get(reservationId);
        if (row == null) {
            throw new IllegalStateException("no reservation " + reservationId);
        }
        return row;
    }
}
