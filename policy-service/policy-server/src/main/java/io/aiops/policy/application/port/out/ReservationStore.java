package io.aiops.policy.application.port.out;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stores budget reservations and the budget windows each one holds money in. */
public interface ReservationStore {

  /** Lifecycle of a reservation: OPEN until settled by an outcome, expired by time, or released. */
  enum Status { OPEN, SETTLED, EXPIRED, RELEASED }

  /** Money a reservation holds in one budget window. */
  record Hold(String budgetId, Instant windowStart, BigDecimal amountUsd) {}

  /** A reservation with its holds. */
  record HeldReservation(
      UUID id, UUID decisionId, BigDecimal amountUsd, Status status, Instant expiresAt, List<Hold> holds) {}

  void insert(HeldReservation reservation, Instant createdAt);

  /** Locks the decision's reservation row until the transaction ends, so settling and expiring never overlap. */
  Optional<HeldReservation> lockByDecision(UUID decisionId);

  /** Locks up to {@code limit} OPEN reservations expired at {@code now}, skipping rows another instance holds. */
  List<HeldReservation> lockExpiredOpen(Instant now, int limit);

  void close(UUID reservationId, Status status, Instant closedAt);
}
