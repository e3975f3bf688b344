package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.BOOK_DECISIONS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RESERVATIONS;

import com.fasterxml.jackson.core.type.TypeReference;
import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.BookDecisionsRecord;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.DecisionsRecord;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.StoredText;
import io.aiops.policy.domain.call.CallDecision;
import io.aiops.policy.domain.call.CallStatus;
import io.aiops.policy.domain.call.Candidate;
import io.aiops.policy.domain.call.DenialReason;
import io.aiops.policy.domain.call.Reservation;
import io.aiops.policy.domain.call.SettledCall;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Select;
import org.springframework.stereotype.Repository;

/** Decisions in the {@code decisions} table, read together with their reservation and recorded call. */
@Repository
class JooqDecisionStore implements DecisionStore {

    private static final TypeReference<List<Candidate>> CANDIDATES = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {};

    private final DSLContext db;

    JooqDecisionStore(DSLContext db) {
        this.db = db;
    }

    @Override
    public Optional<StoredDecision> findByIdempotencyKey(String idempotencyKey) {
        return find(DECISIONS.IDEMPOTENCY_KEY.eq(idempotencyKey));
    }

    @Override
    public Optional<StoredDecision> findById(UUID decisionId) {
        return find(DECISIONS.ID.eq(decisionId));
    }

    @Override
    public boolean insertIfAbsent(NewDecision d) {
        return insertDecision(d, false).execute() == 1;
    }

    @Override
    public boolean insertUnapprovedIfAbsent(NewDecision d) {
        return insertDecision(d, true).execute() == 1;
    }

    /**
     * One call of the {@code book_decisions} function (migration V74), through its generated table function, with the
     * decisions, their candidates and their bookings as parallel arrays: one round trip, its own transaction (the
     * connection is in autocommit mode outside a Spring transaction).
     */
    @Override
    public List<BookingResult> book(List<BookedDecision> batch) {
        int n = batch.size();
        List<CandidateTerms> terms = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        List<Booking> bookings = new ArrayList<>();
        // decision i's candidates are terms[candidateFrom[i] - 1 ..] and its bookings bookings[bookingFrom[i] - 1 ..]
        // (the function counts from 1)
        Integer[] candidateFrom = new Integer[n];
        Integer[] candidateCount = new Integer[n];
        Integer[] bookingFrom = new Integer[n];
        Integer[] bookingCount = new Integer[n];
        for (int i = 0; i < n; i++) {
            BookedDecision b = batch.get(i);
            if (!b.decision().allowed()
                    || b.terms().size() != b.decision().candidates().size()) {
                throw new IllegalArgumentException(
                        "only an allowed decision with the terms of each candidate is booked: "
                                + b.decision().id());
            }
            candidateFrom[i] = terms.size() + 1;
            candidateCount[i] = b.terms().size();
            terms.addAll(b.terms());
            candidates.addAll(b.decision().candidates());
            bookingFrom[i] = bookings.size() + 1;
            bookingCount[i] = b.bookings().size();
            bookings.addAll(b.bookings());
        }
        // the generated table function: its signature checks every argument's Java type at compile time (neighbours of
        // the
        // same type are told apart by their names in the calls below)
        Select<BookDecisionsRecord> call = db.selectFrom(BOOK_DECISIONS.call(
                each(batch, UUID[]::new, b -> b.decision().id()),
                each(batch, String[]::new, b -> b.decision().request().idempotencyKey()),
                each(batch, String[]::new, b -> b.decision().request().project()),
                each(batch, String[]::new, b -> b.decision().request().where().bpmnProcessId()),
                each(batch, Long[]::new, b -> b.decision().request().where().processDefinitionKey()),
                each(batch, Long[]::new, b -> b.decision().request().where().processInstanceKey()),
                each(batch, String[]::new, b -> b.decision().request().where().elementId()),
                each(batch, Long[]::new, b -> b.decision().request().where().elementInstanceKey()),
                each(batch, Long[]::new, b -> b.decision().request().where().jobKey()),
                each(batch, String[]::new, b -> b.decision().request().taskKind()),
                each(batch, String[]::new, b -> b.decision().request().modelHint()),
                each(batch, Integer[]::new, b -> b.decision().request().estimatedInputTokens()),
                each(batch, Integer[]::new, b -> b.decision().request().maxOutputTokens()),
                each(
                        batch,
                        String[]::new,
                        b -> ColumnValues.toJsonb(b.decision().request().tags()).data()),
                each(
                        batch,
                        String[]::new,
                        b -> ColumnValues.toJsonb(b.decision().candidates()).data()),
                each(
                        batch,
                        OffsetDateTime[]::new,
                        b -> ColumnValues.utc(b.decision().createdAt())),
                each(batch, UUID[]::new, BookedDecision::reservationId),
                each(batch, Long[]::new, BookedDecision::budgetsVersion),
                each(batch, Boolean[]::new, BookedDecision::rehold),
                each(batch, Long[]::new, b -> b.reservationTtl().toMillis()),
                candidateFrom,
                candidateCount,
                each(candidates, String[]::new, Candidate::provider),
                each(candidates, String[]::new, Candidate::model),
                each(terms, BigDecimal[]::new, CandidateTerms::worstCaseUsd),
                each(terms, Long[]::new, t -> t.chainSpan().toMillis()),
                bookingFrom,
                bookingCount,
                each(bookings, String[]::new, Booking::budgetId),
                each(bookings, OffsetDateTime[]::new, b -> ColumnValues.utc(b.windowStart())),
                each(bookings, OffsetDateTime[]::new, b -> ColumnValues.utc(b.windowEnd())),
                each(bookings, String[]::new, Booking::modelProvider),
                each(bookings, String[]::new, Booking::modelName),
                each(bookings, BigDecimal[]::new, Booking::amountUsd),
                each(bookings, String[]::new, Booking::denialPrefix),
                each(batch, Long[]::new, b -> b.maxChainLifetime().toMillis())));
        String sql = bookSql;
        if (sql == null) {
            sql = bookSql = db.render(call);
        }
        List<Object> arguments = call.getBindValues();
        String statement = sql;
        return db.connectionResult(connection -> {
            // bound as driver arrays: jOOQ would format each array as text first, which costs more than the booking
            // itself once a call carries many decisions (measured; see docs/benchmarks.md)
            try (PreparedStatement booking = connection.prepareStatement(statement)) {
                for (int i = 0; i < arguments.size(); i++) {
                    Object[] values = (Object[]) arguments.get(i);
                    booking.setArray(i + 1, connection.createArrayOf(sqlType(values), values));
                }
                BookingResult[] results = new BookingResult[n];
                try (ResultSet rows = booking.executeQuery()) {
                    while (rows.next()) {
                        java.sql.Array kept = rows.getArray(4);
                        OffsetDateTime expiresAt = rows.getObject(6, OffsetDateTime.class);
                        results[rows.getInt(1) - 1] = new BookingResult(
                                BookingOutcome.valueOf(rows.getString(2)),
                                rows.getString(3),
                                kept == null
                                        ? null
                                        : Arrays.stream((Integer[]) kept.getArray())
                                                .map(k -> k - 1)
                                                .toList(),
                                rows.getBigDecimal(5),
                                expiresAt == null ? null : expiresAt.toInstant());
                    }
                }
                return List.of(results);
            }
        });
    }

    /** The call's SQL, rendered once from the generated function: the same text every time, prepared by the driver. */
    private volatile String bookSql;

    /** The PostgreSQL element type the driver sends an argument array as. */
    private static String sqlType(Object[] values) {
        Class<?> type = values.getClass().getComponentType();
        if (type == UUID.class) {
            return "uuid";
        } else if (type == Long.class) {
            return "int8";
        } else if (type == Integer.class) {
            return "int4";
        } else if (type == Boolean.class) {
            return "bool";
        } else if (type == BigDecimal.class) {
            return "numeric";
        } else if (type == OffsetDateTime.class) {
            return "timestamptz";
        }
        return "text";
    }

    private static <T, V> V[] each(List<T> items, IntFunction<V[]> array, Function<T, V> value) {
        V[] values = array.apply(items.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(items.get(i));
        }
        return values;
    }

    private org.jooq.Query insertDecision(NewDecision d, boolean unapproved) {
        DecideCommand r = d.request();
        ProcessCoordinates where = r.where();
        return db.insertInto(DECISIONS)
                .set(DECISIONS.ID, d.id())
                .set(DECISIONS.IDEMPOTENCY_KEY, r.idempotencyKey())
                .set(DECISIONS.PROJECT, r.project())
                .set(DECISIONS.BPMN_PROCESS_ID, where.bpmnProcessId())
                .set(DECISIONS.PROCESS_DEFINITION_KEY, where.processDefinitionKey())
                .set(DECISIONS.PROCESS_INSTANCE_KEY, where.processInstanceKey())
                .set(DECISIONS.ELEMENT_ID, where.elementId())
                .set(DECISIONS.ELEMENT_INSTANCE_KEY, where.elementInstanceKey())
                .set(DECISIONS.JOB_KEY, where.jobKey())
                .set(DECISIONS.TASK_KIND, r.taskKind())
                .set(DECISIONS.MODEL_HINT, r.modelHint())
                .set(DECISIONS.ESTIMATED_INPUT_TOKENS, r.estimatedInputTokens())
                .set(DECISIONS.MAX_OUTPUT_TOKENS, r.maxOutputTokens())
                .set(DECISIONS.TAGS, ColumnValues.toJsonb(r.tags()))
                .set(DECISIONS.ALLOWED, d.allowed())
                .set(
                        DECISIONS.DENIAL_REASON,
                        d.reason() == null ? null : d.reason().name())
                .set(DECISIONS.DENIAL_MESSAGE, d.reasonMessage())
                .set(DECISIONS.CANDIDATES, ColumnValues.toJsonb(d.candidates()))
                .set(DECISIONS.CREATED_AT, ColumnValues.utc(d.createdAt()))
                .set(DECISIONS.UNAPPROVED, unapproved)
                .onConflict(DECISIONS.IDEMPOTENCY_KEY)
                .doNothing();
    }

    private Optional<StoredDecision> find(Condition condition) {
        return db.select(DECISIONS.fields())
                .select(RESERVATIONS.ID, RESERVATIONS.AMOUNT_USD, RESERVATIONS.EXPIRES_AT, RESERVATIONS.STATUS)
                .select(CALLS.ID, CALLS.STATUS, CALLS.PROVIDER, CALLS.MODEL, CALLS.COST_USD, CALLS.RESPONSE_TEXT)
                .from(DECISIONS)
                .leftJoin(RESERVATIONS)
                .on(RESERVATIONS.DECISION_ID.eq(DECISIONS.ID))
                .leftJoin(CALLS)
                .on(CALLS.DECISION_ID.eq(DECISIONS.ID))
                .where(condition)
                .fetchOptional(JooqDecisionStore::toStored);
    }

    private static StoredDecision toStored(Record row) {
        DecisionsRecord d = row.into(DECISIONS);
        DecideCommand request = new DecideCommand(
                d.getIdempotencyKey(),
                d.getProject(),
                new ProcessCoordinates(
                        d.getBpmnProcessId(),
                        d.getProcessDefinitionKey(),
                        null,
                        d.getProcessInstanceKey(),
                        d.getElementId(),
                        d.getElementInstanceKey(),
                        d.getJobKey(),
                        null),
                d.getTaskKind(),
                d.getModelHint(),
                d.getEstimatedInputTokens(),
                d.getMaxOutputTokens(),
                ColumnValues.fromJsonb(d.getTags(), TAGS));
        // a decision denied after its reservation expired keeps the old reservation row, but holds nothing any more
        Reservation reservation = row.get(RESERVATIONS.ID) == null || !d.getAllowed()
                ? null
                : new Reservation(
                        row.get(RESERVATIONS.ID),
                        Money.shown(row.get(RESERVATIONS.AMOUNT_USD)),
                        ColumnValues.instant(row.get(RESERVATIONS.EXPIRES_AT)));
        SettledCall settled = row.get(CALLS.ID) == null
                ? null
                : new SettledCall(
                        row.get(CALLS.ID),
                        CallStatus.valueOf(row.get(CALLS.STATUS)),
                        row.get(CALLS.PROVIDER),
                        row.get(CALLS.MODEL),
                        Money.shown(row.get(CALLS.COST_USD)),
                        StoredText.decode(row.get(CALLS.RESPONSE_TEXT)));
        CallDecision decision = new CallDecision(
                d.getId(),
                d.getAllowed(),
                d.getDenialReason() == null ? null : DenialReason.valueOf(d.getDenialReason()),
                d.getDenialMessage(),
                ColumnValues.fromJsonb(d.getCandidates(), CANDIDATES),
                reservation,
                settled);
        return new StoredDecision(
                request,
                decision,
                ColumnValues.instant(d.getCreatedAt()),
                row.get(RESERVATIONS.STATUS) == null
                        ? null
                        : ReservationStore.Status.valueOf(row.get(RESERVATIONS.STATUS)),
                d.getUnapproved());
    }
}
