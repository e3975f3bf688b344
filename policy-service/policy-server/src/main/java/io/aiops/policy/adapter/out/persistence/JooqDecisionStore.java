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
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
    return insertDecision(d).execute() == 1;
  }

  /**
   * The decision and its reservation row in one statement (a data-modifying CTE): the reservation is written only
   * when the decision was, so a lost key race writes neither. Plain JDBC on the transaction's connection: this runs
   * once per decision, and a fixed statement costs nothing to render (jOOQ's plain-SQL path still parses the template
   * and renders it on every call) and the driver prepares it once per connection.
   */
  private static final String INSERT_DECISION_WITH_RESERVATION =
      "WITH inserted AS ("
          + " INSERT INTO decisions (id, idempotency_key, project, bpmn_process_id, process_definition_key,"
          + " process_instance_key, element_id, element_instance_key, job_key, task_kind, model_hint,"
          + " estimated_input_tokens, max_output_tokens, tags, allowed, denial_reason, denial_message, candidates,"
          + " created_at)"
          + " VALUES (?::uuid, ?, ?, ?, ?::bigint, ?::bigint, ?, ?::bigint, ?::bigint, ?, ?, ?::integer, ?::integer,"
          + " ?::jsonb, true, NULL, NULL, ?::jsonb, ?::timestamptz)"
          + " ON CONFLICT (idempotency_key) DO NOTHING"
          + " RETURNING id)"
          + " INSERT INTO reservations (id, decision_id, amount_usd, status, created_at, expires_at)"
          + " SELECT ?::uuid, id, ?::numeric, 'OPEN', ?::timestamptz, ?::timestamptz FROM inserted";

  @Override
  public boolean insertIfAbsent(NewDecision d, NewReservation reservation) {
    if (!d.allowed()) {
      throw new IllegalArgumentException("only an allowed decision has a reservation: " + d.id());
    }
    DecisionRequest r = d.request();
    return db.connectionResult(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(INSERT_DECISION_WITH_RESERVATION)) {
        insert.setObject(1, d.id());
        insert.setString(2, r.idempotencyKey());
        insert.setString(3, r.project());
        insert.setString(4, r.bpmnProcessId());
        insert.setObject(5, r.processDefinitionKey(), Types.BIGINT);
        insert.setObject(6, r.processInstanceKey(), Types.BIGINT);
        insert.setString(7, r.elementId());
        insert.setObject(8, r.elementInstanceKey(), Types.BIGINT);
        insert.setObject(9, r.jobKey(), Types.BIGINT);
        insert.setString(10, r.taskKind());
        insert.setString(11, r.modelHint());
        insert.setObject(12, r.estimatedInputTokens(), Types.INTEGER);
        insert.setObject(13, r.maxOutputTokens(), Types.INTEGER);
        insert.setString(14, ColumnValues.toJsonb(r.tags()).data());
        insert.setString(15, ColumnValues.toJsonb(d.candidates()).data());
        insert.setObject(16, ColumnValues.utc(d.createdAt()));
        insert.setObject(17, reservation.id());
        insert.setBigDecimal(18, reservation.amountUsd());
        insert.setObject(19, ColumnValues.utc(d.createdAt()));
        insert.setObject(20, ColumnValues.utc(reservation.expiresAt()));
        return insert.executeUpdate() == 1;
      }
    });
  }

  private static final String BOOK_DECISIONS =
      "SELECT decision_index, outcome, denial_message FROM book_decisions(?::uuid[], ?::text[], ?::text[],"
          + " ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[],"
          + " ?::integer[], ?::integer[], ?::jsonb[], ?::jsonb[], ?::timestamptz[], ?::uuid[], ?::numeric[],"
          + " ?::timestamptz[], ?::integer[], ?::integer[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[],"
          + " ?::text[])";

  /**
   * One call of the {@code book_decisions} function (migration V60) with the decisions as parallel arrays: one round
   * trip, its own transaction (the connection is in autocommit mode outside a Spring transaction).
   */
  @Override
  public List<BookingResult> book(List<BookedDecision> batch) {
    int n = batch.size();
    int m = batch.stream().mapToInt(b -> b.bookings().size()).sum();
    UUID[] ids = new UUID[n];
    String[] keys = new String[n];
    String[] projects = new String[n];
    String[] processIds = new String[n];
    Long[] definitionKeys = new Long[n];
    Long[] instanceKeys = new Long[n];
    String[] elementIds = new String[n];
    Long[] elementInstanceKeys = new Long[n];
    Long[] jobKeys = new Long[n];
    String[] taskKinds = new String[n];
    String[] modelHints = new String[n];
    Integer[] inputTokens = new Integer[n];
    Integer[] outputTokens = new Integer[n];
    String[] tags = new String[n];
    String[] candidates = new String[n];
    String[] createdAt = new String[n];
    UUID[] reservationIds = new UUID[n];
    BigDecimal[] amounts = new BigDecimal[n];
    String[] expiresAt = new String[n];
    Integer[] bookingFrom = new Integer[n];
    Integer[] bookingCount = new Integer[n];
    String[] budgetIds = new String[m];
    String[] windowStarts = new String[m];
    String[] windowEnds = new String[m];
    String[] prefixes = new String[m];
    String[] suffixes = new String[m];
    int j = 0;
    for (int i = 0; i < n; i++) {
      BookedDecision b = batch.get(i);
      NewDecision d = b.decision();
      if (!d.allowed()) {
        throw new IllegalArgumentException("only an allowed decision is booked: " + d.id());
      }
      DecisionRequest r = d.request();
      ids[i] = d.id();
      keys[i] = r.idempotencyKey();
      projects[i] = r.project();
      processIds[i] = r.bpmnProcessId();
      definitionKeys[i] = r.processDefinitionKey();
      instanceKeys[i] = r.processInstanceKey();
      elementIds[i] = r.elementId();
      elementInstanceKeys[i] = r.elementInstanceKey();
      jobKeys[i] = r.jobKey();
      taskKinds[i] = r.taskKind();
      modelHints[i] = r.modelHint();
      inputTokens[i] = r.estimatedInputTokens();
      outputTokens[i] = r.maxOutputTokens();
      tags[i] = ColumnValues.toJsonb(r.tags()).data();
      candidates[i] = ColumnValues.toJsonb(d.candidates()).data();
      createdAt[i] = d.createdAt().toString();
      reservationIds[i] = b.reservation().id();
      amounts[i] = b.reservation().amountUsd();
      expiresAt[i] = b.reservation().expiresAt().toString();
      bookingFrom[i] = j + 1;
      bookingCount[i] = b.bookings().size();
      for (Booking booking : b.bookings()) {
        budgetIds[j] = booking.budgetId();
        windowStarts[j] = booking.windowStart().toString();
        windowEnds[j] = booking.windowEnd().toString();
        prefixes[j] = booking.denialPrefix();
        suffixes[j] = booking.denialSuffix();
        j++;
      }
    }
    return db.connectionResult(connection -> {
      try (PreparedStatement call = connection.prepareStatement(BOOK_DECISIONS)) {
        Object[][] arrays = {ids, keys, projects, processIds, definitionKeys, instanceKeys, elementIds,
            elementInstanceKeys, jobKeys, taskKinds, modelHints, inputTokens, outputTokens, tags, candidates, createdAt,
            reservationIds, amounts, expiresAt, bookingFrom, bookingCount, budgetIds, windowStarts, windowEnds,
            prefixes, suffixes};
        String[] types = {"uuid", "text", "text", "text", "int8", "int8", "text", "int8", "int8", "text", "text",
            "int4", "int4", "text", "text", "text", "uuid", "numeric", "text", "int4", "int4", "text", "text", "text",
            "text", "text"};
        for (int p = 0; p < arrays.length; p++) {
          call.setArray(p + 1, connection.createArrayOf(types[p], arrays[p]));
        }
        BookingResult[] results = new BookingResult[n];
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

  private org.jooq.Query insertDecision(NewDecision d) {
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
            .set(DECISIONS.DENIAL_REASON, d.reason() == null ? null : d.reason().name())
            .set(DECISIONS.DENIAL_MESSAGE, d.reasonMessage())
            .set(DECISIONS.CANDIDATES, ColumnValues.toJsonb(d.candidates()))
            .set(DECISIONS.CREATED_AT, ColumnValues.utc(d.createdAt()))
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
        .leftJoin(RESERVATIONS).on(RESERVATIONS.DECISION_ID.eq(DECISIONS.ID))
        .leftJoin(CALLS).on(CALLS.DECISION_ID.eq(DECISIONS.ID))
        .where(condition)
        .fetchOptional(JooqDecisionStore::toStored);
  }

  private static StoredDecision toStored(Record row) {
    DecisionsRecord d = row.into(DECISIONS);
    DecisionRequest request =
        new DecisionRequest(
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
    BudgetReservation reservation =
        row.get(RESERVATIONS.ID) == null || !d.getAllowed()
            ? null
            : new BudgetReservation(
                row.get(RESERVATIONS.ID),
                Money.shown(row.get(RESERVATIONS.AMOUNT_USD)),
                ColumnValues.instant(row.get(RESERVATIONS.EXPIRES_AT)));
    SettledCall settled =
        row.get(CALLS.ID) == null
            ? null
            : new SettledCall(
                row.get(CALLS.ID),
                CallStatus.valueOf(row.get(CALLS.STATUS)),
                row.get(CALLS.PROVIDER),
                row.get(CALLS.MODEL),
                Money.shown(row.get(CALLS.COST_USD)),
                row.get(CALLS.RESPONSE_TEXT));
    Decision decision =
        new Decision(
            d.getId(),
            d.getAllowed(),
            d.getDenialReason() == null ? null : DenialReason.valueOf(d.getDenialReason()),
            d.getDenialMessage(),
            ColumnValues.fromJsonb(d.getCandidates(), CANDIDATES),
            reservation,
            settled);
    return new StoredDecision(request, decision, ColumnValues.instant(d.getCreatedAt()),
        row.get(RESERVATIONS.STATUS) == null ? null : ReservationStore.Status.valueOf(row.get(RESERVATIONS.STATUS)));
  }
}
