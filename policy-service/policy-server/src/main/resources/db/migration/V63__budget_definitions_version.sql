-- HARD budgets hold across replicas even right after a budget is defined: every change to the budgets table bumps
-- one version number in the same transaction, each decision carries the version of the budget definitions it was
-- routed with, and book_decisions stores only decisions whose version is the committed one (outcome STALE otherwise:
-- the replica reads the definitions again and decides anew). Before this, a replica whose cached definitions did not
-- yet have a new budget allowed decisions that held nothing in it.
CREATE TABLE budget_definitions_version (
    singleton  boolean PRIMARY KEY DEFAULT true CONSTRAINT budget_definitions_version_one_row CHECK (singleton),
    version    bigint NOT NULL
);
INSERT INTO budget_definitions_version (singleton, version) VALUES (true, 1);

CREATE FUNCTION bump_budget_definitions_version() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE budget_definitions_version SET version = version + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER budgets_definitions_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON budgets
    FOR EACH STATEMENT EXECUTE FUNCTION bump_budget_definitions_version();

DROP FUNCTION book_decisions(uuid[], text[], text[], text[], bigint[], bigint[], text[], bigint[], bigint[], text[],
    text[], integer[], integer[], jsonb[], jsonb[], timestamptz[], uuid[], numeric[], timestamptz[], integer[],
    integer[], text[], timestamptz[], timestamptz[], text[], text[]);

-- As in V60, with p_budget_versions (the budget definitions' version each decision was routed with): a decision
-- whose version is not the committed one is neither stored nor booked, its outcome is STALE.
CREATE FUNCTION book_decisions(
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
    p_denial_suffixes           text[],
    p_budget_versions           bigint[])
RETURNS TABLE (decision_index integer, outcome text, denial_message text)
LANGUAGE plpgsql
-- the statements below take arrays whose sizes vary by call: a custom plan per call costs more than it saves
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    n             integer := coalesce(array_length(p_decision_ids, 1), 0);
    m             integer := coalesce(array_length(p_booking_budget_ids, 1), 0);
    inserted_ids  uuid[];
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
    attempt       integer;
    missing       boolean;
    any_admitted  boolean := false;
    any_denied    boolean := false;
    fresh         boolean[];
    budgets_now   bigint;
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;

    -- a decision routed with budget definitions older than the committed ones is not stored: its replica reads them
    -- again and decides anew, so a budget defined through another replica applies from its commit on
    SELECT v.version INTO budgets_now FROM budget_definitions_version v;
    fresh := ARRAY(SELECT coalesce(u.version = budgets_now, false)
                   FROM unnest(p_budget_versions) WITH ORDINALITY AS u(version, ord) ORDER BY u.ord);

    WITH ins AS (
        INSERT INTO decisions (id, idempotency_key, project, bpmn_process_id, process_definition_key,
                               process_instance_key, element_id, element_instance_key, job_key, task_kind, model_hint,
                               estimated_input_tokens, max_output_tokens, tags, allowed, denial_reason, denial_message,
                               candidates, created_at)
        SELECT u.id, u.idempotency_key, u.project, u.bpmn_process_id, u.process_definition_key,
               u.process_instance_key, u.element_id, u.element_instance_key, u.job_key, u.task_kind, u.model_hint,
               u.estimated_input_tokens, u.max_output_tokens, u.tags, true, NULL, NULL, u.candidates, u.created_at
        FROM unnest(p_decision_ids, p_idempotency_keys, p_projects, p_bpmn_process_ids, p_process_definition_keys,
                    p_process_instance_keys, p_element_ids, p_element_instance_keys, p_job_keys, p_task_kinds,
                    p_model_hints, p_estimated_input_tokens, p_max_output_tokens, p_tags, p_candidates, p_created_at,
                    fresh)
             AS u(id, idempotency_key, project, bpmn_process_id, process_definition_key, process_instance_key,
                  element_id, element_instance_key, job_key, task_kind, model_hint, estimated_input_tokens,
                  max_output_tokens, tags, candidates, created_at, fresh)
        WHERE u.fresh
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id)
    SELECT coalesce(array_agg(ins.id), '{}') INTO inserted_ids FROM ins;

    inserted := array_fill(false, ARRAY[n]);
    admitted := array_fill(false, ARRAY[n]);
    denials := array_fill(NULL::text, ARRAY[n]);
    booking_win := array_fill(0, ARRAY[greatest(m, 1)]);
    booking_used := array_fill(false, ARRAY[greatest(m, 1)]);
    FOR i IN 1 .. n LOOP
        inserted[i] := p_decision_ids[i] = ANY (inserted_ids);
        IF inserted[i] THEN
            FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
                booking_used[j] := true;
            END LOOP;
        END IF;
    END LOOP;

    IF m > 0 AND true = ANY (booking_used) THEN
        -- lock the windows; create the missing ones (the first decision of a window) and lock again
        FOR attempt IN 1 .. 2 LOOP
            win_budget := '{}';
            win_start := '{}';
            win_room := '{}';
            win_add := '{}';
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
            -- which locked window each used booking books in; a booking without one means a window to create
            missing := false;
            FOR j IN 1 .. m LOOP
                IF booking_used[j] THEN
                    k := 1;
                    WHILE k <= coalesce(array_length(win_budget, 1), 0)
                          AND NOT (win_budget[k] = p_booking_budget_ids[j]
                                   AND win_start[k] = p_booking_window_starts[j]) LOOP
                        k := k + 1;
                    END LOOP;
                    IF k > coalesce(array_length(win_budget, 1), 0) THEN
                        -- none: a window to create; on the second pass none means the budget was deleted after
                        -- the caller read it, and there is nothing to book in
                        k := 0;
                        missing := true;
                    END IF;
                    booking_win[j] := k;
                END IF;
            END LOOP;
            EXIT WHEN NOT missing OR attempt = 2;
            INSERT INTO budget_windows (budget_id, window_start, window_end)
            SELECT DISTINCT u.budget_id, u.window_start, u.window_end
            FROM unnest(p_booking_budget_ids, p_booking_window_starts, p_booking_window_ends, booking_used[1:m])
                 AS u(budget_id, window_start, window_end, used)
            WHERE u.used AND EXISTS (SELECT 1 FROM budgets b WHERE b.id = u.budget_id)
            ON CONFLICT (budget_id, window_start) DO NOTHING;
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
            any_admitted := true;
            FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
                k := booking_win[j];
                IF k > 0 THEN
                    win_add[k] := win_add[k] + p_amounts[i];
                END IF;
            END LOOP;
        END IF;
    END LOOP;

    -- what the admission decided: only the statements there is something for
    IF array_length(win_budget, 1) > 0 THEN
        UPDATE budget_windows bw
        SET reserved_usd = bw.reserved_usd + u.added
        FROM unnest(win_budget, win_start, win_add) AS u(budget_id, window_start, added)
        WHERE u.added > 0 AND bw.budget_id = u.budget_id AND bw.window_start = u.window_start;
    END IF;
    IF any_admitted THEN
        WITH reserved AS (
            INSERT INTO reservations (id, decision_id, amount_usd, status, created_at, expires_at)
            SELECT u.id, u.decision_id, u.amount, 'OPEN', u.created_at, u.expires_at
            FROM unnest(p_reservation_ids, p_decision_ids, p_amounts, p_created_at, p_expires_at, admitted)
                 AS u(id, decision_id, amount, created_at, expires_at, ok)
            WHERE u.ok)
        INSERT INTO reservation_holds (reservation_id, budget_id, window_start, amount_usd)
        SELECT p_reservation_ids[d.i], p_booking_budget_ids[b.j], p_booking_window_starts[b.j], p_amounts[d.i]
        FROM generate_series(1, n) AS d(i)
        CROSS JOIN LATERAL generate_series(p_booking_from[d.i], p_booking_from[d.i] + p_booking_count[d.i] - 1)
             AS b(j)
        WHERE admitted[d.i] AND booking_win[b.j] > 0;
    END IF;
    IF any_denied THEN
        UPDATE decisions d
        SET allowed = false, denial_reason = 'BUDGET_EXCEEDED', denial_message = u.message
        FROM unnest(p_decision_ids, denials) AS u(id, message)
        WHERE u.message IS NOT NULL AND d.id = u.id;
    END IF;

    FOR i IN 1 .. n LOOP
        decision_index := i;
        outcome := CASE WHEN NOT fresh[i] THEN 'STALE' WHEN NOT inserted[i] THEN 'CONFLICT'
                        WHEN admitted[i] THEN 'ALLOWED' ELSE 'DENIED' END;
        denial_message := denials[i];
        RETURN NEXT;
    END LOOP;
END;
$$;
