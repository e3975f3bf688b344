package io.aiops.policy.application.service;

import io.aiops.policy.application.port.in.ExpireReservationsUseCase;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.application.port.out.ReservationStore.HeldReservation;
import io.aiops.policy.application.port.out.ReservationStore.Hold;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.transaction.annotation.Transactional;

/** Gives back the money of reservations whose call never reported an outcome in time. */
public class ReservationExpiryService implements ExpireReservationsUseCase {

    /** Bounded batches keep one transaction short; the job runs again soon for the rest. */
    private static final int BATCH = 500;

    private final ReservationStore reservations;
    private final BudgetStore budgets;
    private final Clock clock;

    public ReservationExpiryService(ReservationStore reservations, BudgetStore budgets, Clock clock) {
        this.reservations = reservations;
        this.budgets = budgets;
        this.clock = clock;
    }

    @Override
    @Transactional
    public int expireDue() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<HeldReservation> due = reservations.lockExpiredOpen(now, BATCH);
        // One release per window row, in the order decisions lock window rows (ReservationStore.LOCK_ORDER). Releasing
        // reservation by reservation would lock rows in whatever order the holds come, e.g. window B for the first
        // reservation and then window A for the second, while a decision holding A waits for B: a deadlock. With one
        // global order, whoever holds the lower row can always go on to the higher one. The reservation rows themselves
        // are never waited for here (SKIP LOCKED), so they add no edge to such a cycle.
        Map<Hold, BigDecimal> released = new TreeMap<>(ReservationStore.LOCK_ORDER);
        for (HeldReservation reservation : due) {
            for (Hold hold : reservation.holds()) {
                Hold window = new Hold(
                        hold.budgetId(), hold.windowStart(), BigDecimal.ZERO, hold.modelProvider(), hold.modelName());
                released.merge(window, hold.amountUsd(), BigDecimal::add);
            }
        }
        released.forEach(
                (window, amount) -> budgets.settle(window.budgetId(), window.windowStart(), amount, BigDecimal.ZERO));
        for (HeldReservation reservation : due) {
            reservations.close(reservation.id(), ReservationStore.Status.EXPIRED, now);
            reservations.recordEvent(
                    reservation.id(),
                    ReservationStore.EventKind.EXPIRED,
                    reservation.amountUsd(),
                    BigDecimal.ZERO,
                    now);
        }
        return due.size();
    }
}
