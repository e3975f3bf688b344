package io.aiops.policy.application.service.fakes;

import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.application.port.out.ReservationStore.HeldReservation;
import io.aiops.policy.application.port.out.ReservationStore.Hold;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.StoredText;
import io.aiops.policy.domain.call.CallDecision;
import io.aiops.policy.domain.call.Candidate;
import io.aiops.policy.domain.call.DenialReason;
import io.aiops.policy.domain.call.Reservation;
import io.aiops.policy.domain.call.SettledCall;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Decisions in maps, keyed by id and by idempotency key, read back joined with their reservation and recorded call as
 * the SQL adapter reads them (a denied decision shows no reservation).
 *
 * <p>{@link #book} is the {@code book_decisions} function's documented contract (migration V74), not its SQL: decisions
 * are taken one after the other in list order. Each is STALE when its budgets version is not the committed one (nothing
 * written). A redelivery ({@code rehold}) locks its reservation first and is UNCHANGED unless that is still EXPIRED
 * with no call recorded; a new decision is CONFLICT when its key is taken, else stored. Then the bookings, in the order
 * given: a model budget's holds the worst case of the kept candidates on its model, or, without room, drops them
 * (DENIED when none is left, naming every budget); a call budget's holds the worst case of the kept candidates, or
 * denies; a redelivery's hold the fixed amount, or denies. A denial gives back everything held and stores a
 * BUDGET_EXCEEDED denial (a redelivery's reservation stays EXPIRED, with a REHOLD_DENIED event). Allowed: a model
 * budget whose candidates all went is given back; the reservation (new, or the redelivery's reopened with new holds and
 * a REHELD event) holds the worst case of the kept chain and lives the TTL, or the kept chain's summed spans when
 * longer, at most the maximum chain lifetime; a narrowed chain is stored. A booking in a budget that no longer exists
 * books nothing. Batching, locking, the lock order and the single round trip are SQL matters and not modelled.
 */
public final class InMemoryDecisionStore implements DecisionStore {

    private static final class Row {
        final UUID id;
        final DecideCommand request;
        final Instant createdAt;
        final boolean unapproved;
        boolean allowed;
        DenialReason reason;
        String reasonMessage;
        List<Candidate> candidates;

        Row(NewDecision d, boolean unapproved) {
            this.id = d.id();
            this.request = d.request();
            this.createdAt = d.createdAt();
            this.unapproved = unapproved;
            this.allowed = d.allowed();
            this.reason = d.reason();
            this.reasonMessage = d.reasonMessage();
            this.candidates = List.copyOf(d.candidates());
        }
    }

    private final InMemoryBudgetStore budgets;
    private final InMemoryReservationStore reservations;
    private final InMemoryCallLedger ledger;
    private final Map<UUID, Row> byId = new LinkedHashMap<>();
    private final Map<String, UUID> byKey = new HashMap<>();

    public InMemoryDecisionStore(
            InMemoryBudgetStore budgets, InMemoryReservationStore reservations, InMemoryCallLedger ledger) {
        this.budgets = budgets;
        this.reservations = reservations;
        this.ledger = ledger;
    }

    @Override
    public List<BookingResult> book(List<BookedDecision> decisions) {
        for (BookedDecision b : decisions) {
            if (!b.decision().allowed()) {
                throw new IllegalArgumentException(
                        "only an allowed decision is booked: " + b.decision().id());
            }
        }
        List<BookingResult> results = new ArrayList<>();
        for (BookedDecision b : decisions) {
            results.add(bookOne(b));
        }
        return results;
    }

    private BookingResult bookOne(BookedDecision b) {
        if (b.budgetsVersion() != budgets.definitionsVersion()) {
            return only(BookingOutcome.STALE);
        }
        BigDecimal reheldAmount = null;
        if (b.rehold()) {
            Optional<HeldReservation> expired = reservations.lockById(b.reservationId());
            if (expired.isEmpty()
                    || expired.get().status() != ReservationStore.Status.EXPIRED
                    || ledger.callOf(expired.get().decisionId()).isPresent()) {
                return only(BookingOutcome.UNCHANGED);
            }
            reheldAmount = expired.get().amountUsd();
        } else if (!insertIfAbsent(b.decision())) {
            return only(BookingOutcome.CONFLICT);
        }

        List<Candidate> candidates = b.decision().candidates();
        List<Integer> kept =
                new ArrayList<>(IntStream.range(0, candidates.size()).boxed().toList());
        List<Booking> bookings = b.bookings();
        BigDecimal[] held = new BigDecimal[bookings.size()];
        List<String> messages = new ArrayList<>();
        String denial = null;
        boolean narrowed = false;
        for (int j = 0; j < bookings.size(); j++) {
            Booking booking = bookings.get(j);
            if (budgets.findById(booking.budgetId()).isEmpty()) {
                continue; // deleted after the caller read it: nothing to book in
            }
            List<Integer> matching = null;
            BigDecimal amount;
            if (b.rehold()) {
                amount = booking.amountUsd();
            } else if (booking.modelName() != null) {
                matching = kept.stream()
                        .filter(x -> onModel(candidates.get(x), booking))
                        .toList();
                if (matching.isEmpty()) {
                    continue;
                }
                amount = worstCase(b, matching);
            } else {
                amount = worstCase(b, kept);
            }
            BigDecimal room = budgets.room(booking.budgetId(), booking.windowStart());
            if (room == null || room.compareTo(amount) >= 0) {
                budgets.addReserved(booking.budgetId(), booking.windowStart(), amount);
                held[j] = amount;
                continue;
            }
            messages.add(booking.denialPrefix() + shown(room.max(BigDecimal.ZERO))
                    + " USD left; this call may cost up to " + shown(amount) + " USD");
            if (matching == null) {
                denial = (b.rehold() ? "the reservation of this decision expired before its outcome arrived, and " : "")
                        + messages.getLast();
                break;
            }
            // this model has no room left: the call may still go to the other candidates
            kept.removeAll(matching);
            if (kept.isEmpty()) {
                denial = "no candidate model fits its model budget: " + String.join("; ", messages);
                break;
            }
            narrowed = true;
        }
        if (denial == null && !b.rehold()) {
            // a model budget whose every candidate was dropped afterwards holds nothing
            for (int j = 0; j < bookings.size(); j++) {
                Booking booking = bookings.get(j);
                if (held[j] != null
                        && booking.modelName() != null
                        && kept.stream().noneMatch(x -> onModel(candidates.get(x), booking))) {
                    budgets.addReserved(booking.budgetId(), booking.windowStart(), held[j].negate());
                    held[j] = null;
                }
            }
        }
        Instant bookedAt = b.decision().createdAt();
        if (denial != null) {
            for (int j = 0; j < bookings.size(); j++) {
                if (held[j] != null) {
                    budgets.addReserved(
                            bookings.get(j).budgetId(), bookings.get(j).windowStart(), held[j].negate());
                }
            }
            markDenied(b.decision().id(), denial);
            if (b.rehold()) {
                reservations.recordEvent(
                        b.reservationId(),
                        ReservationStore.EventKind.REHOLD_DENIED,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        bookedAt);
            }
            return new BookingResult(BookingOutcome.DENIED, denial, null, null, null);
        }

        BigDecimal amount = b.rehold() ? reheldAmount : worstCase(b, kept);
        Duration spans = kept.stream().map(x -> b.terms().get(x).chainSpan()).reduce(Duration.ZERO, Duration::plus);
        Duration chain = spans.compareTo(b.maxChainLifetime()) < 0 ? spans : b.maxChainLifetime();
        Instant expiresAt = bookedAt.plus(chain.compareTo(b.reservationTtl()) > 0 ? chain : b.reservationTtl());
        List<Hold> holds = new ArrayList<>();
        for (int j = 0; j < bookings.size(); j++) {
            Booking booking = bookings.get(j);
            if (held[j] != null) {
                holds.add(new Hold(
                        booking.budgetId(),
                        booking.windowStart(),
                        held[j],
                        booking.modelProvider(),
                        booking.modelName()));
            }
        }
        if (b.rehold()) {
            reservations.reopen(b.reservationId(), amount, holds, expiresAt, bookedAt);
        } else {
            reservations.insert(
                    new HeldReservation(
                            b.reservationId(),
                            b.decision().id(),
                            amount,
                            ReservationStore.Status.OPEN,
                            expiresAt,
                            holds),
                    bookedAt);
            if (narrowed) {
                row(b.decision().id()).candidates =
                        kept.stream().map(candidates::get).toList();
            }
        }
        return new BookingResult(BookingOutcome.ALLOWED, null, List.copyOf(kept), amount, expiresAt);
    }

    private static BookingResult only(BookingOutcome outcome) {
        return new BookingResult(outcome, null, null, null, null);
    }

    /** The most the call can cost on the given candidates (positions in the chain); zero for none. */
    private static BigDecimal worstCase(BookedDecision b, List<Integer> positions) {
        return positions.stream()
                .map(x -> b.terms().get(x).worstCaseUsd())
                .max(Comparator.naturalOrder())
                .orElse(BigDecimal.ZERO);
    }

    private static boolean onModel(Candidate candidate, Booking booking) {
        return candidate.model().equals(booking.modelName())
                && (booking.modelProvider() == null || candidate.provider().equals(booking.modelProvider()));
    }

    /** As {@code trim_scale(x)::text}. */
    private static String shown(BigDecimal amount) {
        return Money.shown(amount).toPlainString();
    }

    @Override
    public Optional<StoredDecision> findByIdempotencyKey(String idempotencyKey) {
        return Optional.ofNullable(byKey.get(idempotencyKey)).flatMap(this::findById);
    }

    @Override
    public Optional<StoredDecision> findById(UUID decisionId) {
        Row row = byId.get(decisionId);
        if (row == null) {
            return Optional.empty();
        }
        Optional<HeldReservation> reservation = reservations.findByDecision(decisionId);
        Reservation shown = reservation
                .filter(r -> row.allowed)
                .map(r -> new Reservation(r.id(), Money.shown(r.amountUsd()), r.expiresAt()))
                .orElse(null);
        SettledCall settled = ledger.callOf(decisionId)
                .map(c -> new SettledCall(
                        c.id(),
                        c.status(),
                        c.provider(),
                        c.model(),
                        Money.shown(c.costUsd()),
                        StoredText.decode(c.responseText())))
                .orElse(null);
        CallDecision decision =
                new CallDecision(row.id, row.allowed, row.reason, row.reasonMessage, row.candidates, shown, settled);
        return Optional.of(new StoredDecision(
                row.request,
                decision,
                row.createdAt,
                reservation.map(HeldReservation::status).orElse(null),
                row.unapproved));
    }

    @Override
    public boolean insertIfAbsent(NewDecision decision) {
        return insert(decision, false);
    }

    @Override
    public boolean insertUnapprovedIfAbsent(NewDecision decision) {
        return insert(decision, true);
    }

    private boolean insert(NewDecision decision, boolean unapproved) {
        String key = decision.request().idempotencyKey();
        if (byKey.containsKey(key)) {
            return false;
        }
        if (byId.containsKey(decision.id())) {
            throw new IllegalStateException("decision " + decision.id() + " exists under another key");
        }
        byId.put(decision.id(), new Row(decision, unapproved));
        byKey.put(key, decision.id());
        return true;
    }

    private void markDenied(UUID decisionId, String message) {
        Row row = row(decisionId);
        row.allowed = false;
        row.reason = DenialReason.BUDGET_EXCEEDED;
        row.reasonMessage = message;
        row.candidates = List.of();
    }

    /** How many decisions are stored. */
    public int count() {
        return byId.size();
    }

    private Row row(UUID decisionId) {
        Row row = byId.get(decisionId);
        if (row == null) {
            throw new IllegalStateException("no decision " + decisionId);
        }
        return row;
    }
}
