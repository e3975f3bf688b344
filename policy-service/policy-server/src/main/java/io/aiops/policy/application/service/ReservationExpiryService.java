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
    for (HeldReservation reservation : due) {
      for (Hold hold : reservation.holds()) {
        budgets.settle(hold.budgetId(), hold.windowStart(), hold.amountUsd(), BigDecimal.ZERO);
      }
      reservations.close(reservation.id(), ReservationStore.Status.EXPIRED, now);
      reservations.recordEvent(
          reservation.id(), ReservationStore.EventKind.EXPIRED, reservation.amountUsd(), BigDecimal.ZERO, now);
    }
    return due.size();
  }
}
