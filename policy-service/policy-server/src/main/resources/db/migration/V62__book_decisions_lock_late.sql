-- book_decisions (V60) holds the hot window rows for a shorter time: everything that does not depend on the admission
-- is written before the windows are locked, so a second batch in flight does its inserts while the first one holds
-- the lock, and the locked part is only the admission, the window sums and the commit. Same parameters, same result,
-- same admission rules as V60; per decision, in the order given:
--   * the decision row is inserted unless its idempotency key is taken (outcome CONFLICT, nothing else is written);
--   * missing budget windows are created; the reservation and one hold per window are written as if the decision
--     were allowed (each hold's foreign key takes a KEY SHARE lock on its window row, which does not wait for
--     another batch's FOR NO KEY UPDATE lock);
--   * the windows are locked FOR NO KEY UPDATE in (budget id, window start) order, the order every other path locks
--     them in, and the decision is ALLOWED when every HARD window it books in still has room for its amount after
--     the decisions before it in this call (spent + reserved + amount <= limit), else DENIED with the message of the
--     first window without room: its reservation and holds are deleted and the decision turned into a
--     BUDGET_EXCEEDED denial; the windows' reserved sums grow by what was allowed.
-- Bookings of decision i are p_booking_*[p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1] (1-based).
-- A denial message is p_denial_prefix || remaining USD (trailing zeros stripped, never negative) || p_denial_suffix.
-- A booking whose budget was deleted after the caller read it books nothing (no window, no hold).
CREATE OR REPLACE FUNCTION book_decisions(
    p_decision_ids              uuid[],
    p_idempotency_keys          text[],
    p_projects                  text[],
    p_bpmn_process_ids          text[],
    p_process_definition_keys   bigint[],
    p_process_instance_keys     bigint[],
    p_element_ids               text[],
    p_element_instance_keys     bigint[],
    p_job_keys                  bigint[],
    p_task_kinds                text[],
    p_model_hints               text[],
    p_estimated_input_tokens    integer[],
    p_max_output_tokens         integer[],
    p_tags                      jsonb[],
    p_candidates                jsonb[],
    p_created_at                timestamptz[],
    p_reservation_ids           uuid[],
    p_amounts                   numeric[],
    p_expires_at                timestamptz[],
    p_booking_from              integer[],
    p_booking_count             integer[],
    p_booking_budget_ids        text[],
    p_booking_window_starts     timestamptz[],
    p_booking_window_ends       timestamptz[],
    p_denial_prefixes           text[],
    p_denial_suffixes           text[])
RETURNS TABLE (decision_index integer, outcome text, denial_message text)
LANGUAGE plpgsql
-- the statements below take arrays whose sizes vary by call: a custom plan per call costs more than it saves
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    n             integer := coalesce(array_length(p_decision_ids, 1), 0);
    m             integer := coalesce(array_length(p_booking_budget_ids, 1), 0);
    inserted      boolean[];
    admitted      boolean[];
    denials       text[];
    booking_win   integer[];
    booking_used  boolean[];
    win_budget    text[] := '{}';
    win_start     timestamptz[] := '{}';
    win_room      numeric[] := '{}';
    win_add       numeric[] := '{}';
    w             record;
    i             integer;
    j             integer;
    k             integer;
    fits          boolean;
    any_inserted  boolean := false;
    any_booking   boolean := false;
    any_denied    boolean := false;
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;

    inserted := array_fill(false, ARRAY[n]);
    admitted := array_fill(false, ARRAY[n]);
    denials := array_fill(NULL::text, ARRAY[n]);
    booking_win := array_fill(0, ARRAY[greatest(m, 1)]);
    booking_used := array_fill(false, ARRAY[greatest(m, 1)]);

    -- which decisions were inserted: the positions of the ids the insert returns
    FOR i IN
        WITH ins AS (
            INSERT INTO decisions (id, idempotency_key, project, bpmn_process_id, process_definition_key,
                                   process_instance_key, element_id, element_instance_key, job_key, task_kind,
                                   model_hint, estimated_input_tokens, max_output_tokens, tags, allowed,
                                   denial_reason, denial_message, candidates, created_at)
            SELECT u.id, u.idempotency_key, u.project, u.bpmn_process_id, u.process_definition_key,
                   u.process_instance_key, u.element_id, u.element_instance_key, u.job_key, u.task_kind,
                   u.model_hint, u.estimated_input_tokens, u.max_output_tokens, u.tags, true, NULL, NULL,
                   u.candidates, u.created_at
            FROM unnest(p_decision_ids, p_idempotency_keys, p_projects, p_bpmn_process_ids,
                        p_process_definition_keys, p_process_instance_keys, p_element_ids,
                        p_element_instance_keys, p_job_keys, p_task_kinds, p_model_hints, p_estimated_input_tokens,
                        p_max_output_tokens, p_tags, p_candidates, p_created_at)
                 AS u(id, idempotency_key, project, bpmn_process_id, process_definition_key, process_instance_key,
                      element_id, element_instance_key, job_key, task_kind, model_hint, estimated_input_tokens,
                      max_output_tokens, tags, candidates, created_at)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id)
        SELECT d.i
        FROM ins
        JOIN unnest(p_decision_ids) WITH ORDINALITY AS d(id, i) ON d.id = ins.id
    LOOP
        inserted[i] := true;
        any_inserted := true;
        FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
            booking_used[j] := true;
            any_booking := true;
        END LOOP;
    END LOOP;

    IF NOT any_inserted THEN
        RETURN QUERY SELECT g.i, 'CONFLICT'::text, NULL::text FROM generate_series(1, n) AS g(i);
        RETURN;
    END IF;

    IF any_booking THEN
        -- the first decision of a window creates it (a budget deleted meanwhile gets none)
        -- in lock order, so two batches creating the same new windows (a new day) wait for each other in one order
        INSERT INTO budget_windows (budget_id, window_start, window_end)
        SELECT x.budget_id, x.window_start, x.window_end
        FROM (SELECT DISTINCT u.budget_id, u.window_start, u.window_end
              FROM unnest(p_booking_budget_ids, p_booking_window_starts, p_booking_window_ends, booking_used[1:m])
                   AS u(budget_id, window_start, window_end, used)
              WHERE u.used
                AND NOT EXISTS (SELECT 1 FROM budget_windows bw
                                WHERE bw.budget_id = u.budget_id AND bw.window_start = u.window_start)
                AND EXISTS (SELECT 1 FROM budgets b WHERE b.id = u.budget_id)) AS x
        ORDER BY x.budget_id COLLATE "C", x.window_start
        ON CONFLICT (budget_id, window_start) DO NOTHING;
    END IF;

    -- written before the lock, as if every inserted decision were allowed; the denied ones are taken back below
    WITH reserved AS (
        INSERT INTO reservations (id, decision_id, amount_usd, status, created_at, expires_at)
        SELECT u.id, u.decision_id, u.amount, 'OPEN', u.created_at, u.expires_at
        FROM unnest(p_reservation_ids, p_decision_ids, p_amounts, p_created_at, p_expires_at, inserted)
             AS u(id, decision_id, amount, created_at, expires_at, ok)
        WHERE u.ok)
    INSERT INTO reservation_holds (reservation_id, budget_id, window_start, amount_usd)
    SELECT p_reservation_ids[d.i], p_booking_budget_ids[b.j], p_booking_window_starts[b.j], p_amounts[d.i]
    FROM generate_series(1, n) AS d(i)
    CROSS JOIN LATERAL generate_series(p_booking_from[d.i], p_booking_from[d.i] + p_booking_count[d.i] - 1) AS b(j)
    WHERE inserted[d.i]
      AND EXISTS (SELECT 1 FROM budget_windows bw
                  WHERE bw.budget_id = p_booking_budget_ids[b.j] AND bw.window_start = p_booking_window_starts[b.j]);

    IF any_booking THEN
        FOR w IN
            SELECT bw.budget_id, bw.window_start, bw.spent_usd, bw.reserved_usd, b.limit_usd, b.mode
            FROM budget_windows bw
            JOIN budgets b ON b.id = bw.budget_id
            WHERE (bw.budget_id, bw.window_start) IN (
                SELECT u.budget_id, u.window_start
                FROM unnest(p_booking_budget_ids, p_booking_window_starts, booking_used[1:m])
                     AS u(budget_id, window_start, used)
                WHERE u.used)
            ORDER BY bw.budget_id COLLATE "C", bw.window_start
            FOR NO KEY UPDATE OF bw
        LOOP
            win_budget := win_budget || w.budget_id;
            win_start := win_start || w.window_start;
            win_room := win_room || CASE WHEN w.mode = 'HARD' THEN w.limit_usd - w.spent_usd - w.reserved_usd END;
            win_add := win_add || 0::numeric;
        END LOOP;
        -- which locked window each used booking books in (0: none, its budget was deleted)
        FOR j IN 1 .. m LOOP
            IF booking_used[j] THEN
                FOR k IN 1 .. coalesce(array_length(win_budget, 1), 0) LOOP
                    IF win_budget[k] = p_booking_budget_ids[j] AND win_start[k] = p_booking_window_starts[j] THEN
                        booking_win[j] := k;
                        EXIT;
                    END IF;
                END LOOP;
            END IF;
        END LOOP;
    END IF;

    FOR i IN 1 .. n LOOP
        CONTINUE WHEN NOT inserted[i];
        fits := true;
        FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
            k := booking_win[j];
            IF k > 0 AND win_room[k] IS NOT NULL AND win_room[k] - win_add[k] < p_amounts[i] THEN
                fits := false;
                any_denied := true;
                denials[i] := p_denial_prefixes[j] || trim_scale(greatest(win_room[k] - win_add[k], 0))::text
                    || p_denial_suffixes[j];
                EXIT;
            END IF;
        END LOOP;
        IF fits THEN
            admitted[i] := true;
            FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
                k := booking_win[j];
                IF k > 0 THEN
                    win_add[k] := win_add[k] + p_amounts[i];
                END IF;
            END LOOP;
        END IF;
    END LOOP;

    IF array_length(win_budget, 1) > 0 THEN
        UPDATE budget_windows bw
        SET reserved_usd = bw.reserved_usd + u.added
        FROM unnest(win_budget, win_start, win_add) AS u(budget_id, window_start, added)
        WHERE u.added > 0 AND bw.budget_id = u.budget_id AND bw.window_start = u.window_start;
    END IF;
    IF any_denied THEN
        DELETE FROM reservation_holds h
        USING unnest(p_reservation_ids, denials) AS u(id, message)
        WHERE u.message IS NOT NULL AND h.reservation_id = u.id;
        DELETE FROM reservations r
        USING unnest(p_reservation_ids, denials) AS u(id, message)
        WHERE u.message IS NOT NULL AND r.id = u.id;
        UPDATE decisions d
        SET allowed = false, denial_reason = 'BUDGET_EXCEEDED', denial_message = u.message
        FROM unnest(p_decision_ids, denials) AS u(id, message)
        WHERE u.message IS NOT NULL AND d.id = u.id;
    END IF;

    FOR i IN 1 .. n LOOP
        decision_index := i;
        outcome := CASE WHEN NOT inserted[i] THEN 'CONFLICT' WHEN admitted[i] THEN 'ALLOWED' ELSE 'DENIED' END;
        denial_message := denials[i];
        RETURN NEXT;
    END LOOP;
END;
$$;
