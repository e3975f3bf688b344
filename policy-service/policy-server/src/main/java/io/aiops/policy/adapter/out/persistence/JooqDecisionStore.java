package io.aiops.policy.adapter.out.persistence;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CALLS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.RESERVATIONS;

import com.fasterxml.jackson.core.type.TypeReference;
import io.aiops.policy.adapter.out.persistence.jooq.tables.records.DecisionsRecord;
import io.aiops.policy.api.BudgetReservation;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.api.SettledCall;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.StoredText;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** Decisions in the {@code decisions} table, read together with their reservation and recorded call. */
@Repository
class JooqDecisionStore implements DecisionStore {

    private static final TypeReference<List<Decision.Candidate>> CANDIDATES = new TypeReference<>() {};
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
     * One array parameter of {@code book_decisions}: the element type the driver sends, the SQL type it becomes, and
     * what each decision (or booking) puts in it. JSON and instants travel as text and are cast by the statement.
     */
    private record Column<T>(String sent, String sqlType, Function<T, Object> value) {}

    /** The decision and reservation parameters, in the function's order. */
    private static final List<Column<BookedDecision>> DECISION_COLUMNS = List.of(
            new Column<>("uuid", "uuid", b -> b.decision().id()),
            new Column<>("text", "text", b -> b.decision().request().idempotencyKey()),
            new Column<>("text", "text", b -> b.decision().request().project()),
            new Column<>("text", "text", b -> b.decision().request().bpmnProcessId()),
            new Column<>("int8", "bigint", b -> b.decision().request().processDefinitionKey()),
            new Column<>("int8", "bigint", b -> b.decision().request().processInstanceKey()),
            new Column<>("text", "text", b -> b.decision().request().elementId()),
            new Column<>("int8", "bigint", b -> b.decision().request().elementInstanceKey()),
            new Column<>("int8", "bigint", b -> b.decision().request().jobKey()),
            new Column<>("text", "text", b -> b.decision().request().taskKind()),
            new Column<>("text", "text", b -> b.decision().request().modelHint()),
            new Column<>("int4", "integer", b -> b.decision().request().estimatedInputTokens()),
            new Column<>("int4", "integer", b -> b.decision().request().maxOutputTokens()),
            new Column<>(
                    "text",
                    "jsonb",
                    b -> ColumnValues.toJsonb(b.decision().request().tags()).data()),
            new Column<>(
                    "text",
                    "jsonb",
                    b -> ColumnValues.toJsonb(b.decision().candidates()).data()),
            new Column<>("text", "timestamptz", b -> b.decision().createdAt().toString()),
            new Column<>("uuid", "uuid", b -> b.reservation().id()),
            new Column<>("numeric", "numeric", b -> b.reservation().amountUsd()),
            new Column<>("text", "timestamptz", b -> b.reservation().expiresAt().toString()));

    /** The booking parameters, after each decision's first booking and booking count. */
    private static final List<Column<Booking>> BOOKING_COLUMNS = List.of(
            new Column<>("text", "text", Booking::budgetId),
            new Column<>("text", "timestamptz", b -> b.windowStart().toString()),
            new Column<>("text", "timestamptz", b -> b.windowEnd().toString()),
            new Column<>("text", "text", Booking::denialPrefix),
            new Column<>("text", "text", Booking::denialSuffix));

    private static final String BOOK_DECISIONS = "SELECT decision_index, outcome, denial_message FROM book_decisions("
            + Stream.of(
                            DECISION_COLUMNS.stream().map(Column::sqlType),
                            Stream.of("integer", "integer"),
                            BOOKING_COLUMNS.stream().map(Column::sqlType),
                            Stream.of("bigint"))
                    .flatMap(types -> types)
                    .map(type -> "?::" + type + "[]")
                    .collect(Collectors.joining(", "))
            + ")";

    /**
     * One call of the {@code book_decisions} function (migration V63) with the decisions as parallel arrays: one round
     * trip, its own transaction (the connection is in autocommit mode outside a Spring transaction).
     */
    @Override
    public List<BookingResult> book(List<BookedDecision> batch) {
        for (BookedDecision b : batch) {
            if (!b.decision().allowed()) {
                throw new IllegalArgumentException(
                        "only an allowed decision is booked: " + b.decision().id());
            }
        }
        List<Booking> bookings =
                batch.stream().flatMap(b -> b.bookings().stream()).toList();
        // decision i books in bookings[from[i] - 1 .. from[i] + count[i] - 2] (the function counts from 1)
        Integer[] from = new Integer[batch.size()];
        Integer[] count = new Integer[batch.size()];
        int next = 1;
        for (int i = 0; i < batch.size(); i++) {
            from[i] = next;
            count[i] = batch.get(i).bookings().size();
            next += count[i];
        }
        return db.connectionResult(connection -> {
            try (PreparedStatement call = connection.prepareStatement(BOOK_DECISIONS)) {
                int p = 1;
                for (Column<BookedDecision> column : DECISION_COLUMNS) {
                    call.setArray(
                            p++,
                            connection.createArrayOf(
                                    column.sent(),
                                    batch.stream().map(column.value()).toArray()));
                }
                call.setArray(p++, connection.createArrayOf("int4", from));
                call.setArray(p++, connection.createArrayOf("int4", count));
                for (Column<Booking> column : BOOKING_COLUMNS) {
                    call.setArray(
                            p++,
                            connection.createArrayOf(
                                    column.sent(),
                                    bookings.stream().map(column.value()).toArray()));
                }
                call.setArray(
                        p++,
                        connection.createArrayOf(
                                "int8",
                                batch.stream()
                                        .map(BookedDecision::budgetsVersion)
                                        .toArray()));
                BookingResult[] results = new BookingResult[batch.size()];
                try (ResultSet rows = call.executeQuery()) {
                    while (rows.next()) {
                        results[rows.getInt(1) - 1] =
                                new BookingResult(BookingOutcome.valueOf(rows.getString(2)), rows.getString(3));
                    }
                }
                return List.of(results);
            }
        });
    }

    private org.jooq.Query insertDecision(NewDecision d, boolean unapproved) {
        DecisionRequest r = d.request();
        return db.insertInto(DECISIONS)
                .set(DECISIONS.ID, d.id())
                .set(DECISIONS.IDEMPOTENCY_KEY, r.idempotencyKey())
                .set(DECISIONS.PROJECT, r.project())
                .set(DECISIONS.BPMN_PROCESS_ID, r.bpmnProcessId())
                .set(DECISIONS.PROCESS_DEFINITION_KEY, r.processDefinitionKey())
                .set(DECISIONS.PROCESS_INSTANCE_KEY, r.processInstanceKey())
                .set(DECISIONS.ELEMENT_ID, r.elementId())
                .set(DECISIONS.ELEMENT_INSTANCE_KEY, r.elementInstanceKey())
                .set(DECISIONS.JOB_KEY, r.jobKey())
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

    @Override
    public void markDenied(UUID decisionId, DenialReason reason, String message) {
        db.update(DECISIONS)
                .set(DECISIONS.ALLOWED, false)
                .set(DECISIONS.DENIAL_REASON, reason.name())
                .set(DECISIONS.DENIAL_MESSAGE, message)
                .set(DECISIONS.CANDIDATES, ColumnValues.toJsonb(List.of()))
                .where(DECISIONS.ID.eq(decisionId))
                .execute();
    }

    @Override
    public void replaceCandidates(UUID decisionId, List<Decision.Candidate> candidates) {
        db.update(DECISIONS)
                .set(DECISIONS.CANDIDATES, ColumnValues.toJsonb(candidates))
                .where(DECISIONS.ID.eq(decisionId))
                .execute();
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
        DecisionRequest request = new DecisionRequest(
                d.getIdempotencyKey(),
                d.getProject(),
                d.getBpmnProcessId(),
                d.getProcessDefinitionKey(),
                d.getProcessInstanceKey(),
                d.getElementId(),
                d.getElementInstanceKey(),
                d.getJobKey(),
                d.getTaskKind(),
                d.getModelHint(),
                d.getEstimatedInputTokens(),
                d.getMaxOutputTokens(),
                ColumnValues.fromJsonb(d.getTags(), TAGS));
        // a decision denied after its reservation expired keeps the old reservation row, but holds nothing any more
        BudgetReservation reservation = row.get(RESERVATIONS.ID) == null || !d.getAllowed()
                ? null
                : new BudgetReservation(
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
        Decision decision = new Decision(
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
