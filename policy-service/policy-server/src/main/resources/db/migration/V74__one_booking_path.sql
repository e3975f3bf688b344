-- One booking path. Every allowed decision is booked here, the ones model budgets cover and the redeliveries whose
-- reservation expired included, and the HARD-cap rule is written once: budget_room says what a window may still
-- reserve, budget_admits whether an amount fits in it. Before this, decisions under model budgets were booked by a
-- Spring transaction in Java and redeliveries re-held their money through a third statement, each with its own copy
-- of the rule (and the copies failed in opposite directions on a limit they could not read).

DROP FUNCTION book_decisions(uuid[], text[], text[], text[], bigint[], bigint[], text[], bigint[], bigint[], text[],
    text[], integer[], integer[], jsonb[], jsonb[], timestamptz[], uuid[], numeric[], timestamptz[], integer[],
    integer[], text[], timestamptz[], timestamptz[], text[], text[], bigint[]);

-- The HARD-cap rule, part 1: what a budget window may still reserve. NULL: no cap (a SOFT budget). Anything that is
-- not SOFT is capped, and a limit that cannot be read caps at 0: when in doubt, refuse.
CREATE FUNCTION budget_room(p_mode text, p_limit_usd numeric, p_spent_usd numeric, p_reserved_usd numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN p_mode = 'SOFT' THEN NULL
                ELSE coalesce(p_limit_usd, 0) - coalesce(p_spent_usd, 0) - coalesce(p_reserved_usd, 0) END
$$;

-- The HARD-cap rule, part 2: an amount fits when the window has no cap, or when the room left after what this booking
-- call already added to the window covers it.
CREATE FUNCTION budget_admits(p_room numeric, p_added numeric, p_amount numeric)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT p_room IS NULL OR p_room - coalesce(p_added, 0) >= p_amount
$$;

-- Why a booking does not fit, in the words of a denial: the caller's prefix (which budget, its limit and window), the
-- room left after what this booking call already added, and the amount asked for.
CREATE FUNCTION budget_shortfall(p_prefix text, p_room numeric, p_added numeric, p_amount numeric)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT p_prefix || trim_scale(greatest(p_room - coalesce(p_added, 0), 0))::text
        || ' USD left; this call may cost up to ' || trim_scale(p_amount)::text || ' USD'
$$;

-- Books decisions as one transaction (the caller's autocommit call), in the one lock order of the service:
-- reservations of redeliveries (by id) -> decisions' idempotency keys (by key) -> budget windows (model budgets first,
-- then by budget id COLLATE "C", then window start). A window that does not exist yet (the first booking of a window)
-- is created after the existing ones are locked, in that order, and all are locked again.
--
-- Per decision i (1-based): the decision's columns; p_booked_at (its creation, or the redelivery's time);
-- p_reservation_ids (new, or the expired reservation a redelivery holds again: p_reholds[i]); p_budget_versions (the
-- budget definitions it was routed with); p_ttl_ms (the reservation TTL); its candidates
-- p_candidate_from[i] .. +p_candidate_count[i]-1 in the candidate arrays (provider, model, worst-case cost, the
-- longest its chain may run on it); its bookings p_booking_from[i] .. +p_booking_count[i]-1 in the booking arrays, in
-- lock order (budget, window, a model budget's provider and model, a fixed amount for a redelivery, the denial
-- message's first part).
--
-- A new decision is stored only when its key is new (CONFLICT otherwise) and its budget version is the committed one
-- (STALE otherwise). A model booking holds the worst case of the candidates on its model, or, with no room, drops
-- them from the chain (DENIED when none is left; a model budget whose candidates all went is given back); a call
-- booking holds the worst case of the candidates kept. A redelivery holds the same amounts again in the windows
-- current now, when its reservation is still EXPIRED, its decision allowed and no call recorded (UNCHANGED otherwise). A booking whose
-- budget was deleted meanwhile is skipped. Any booking that does not fit denies the decision with BUDGET_EXCEEDED and
-- gives back what it had held.
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
    p_tags                      text[],
    p_candidates                text[],
    p_booked_at                 timestamptz[],
    p_reservation_ids           uuid[],
    p_budget_versions           bigint[],
    p_reholds                   boolean[],
    p_ttl_ms                    bigint[],
    p_candidate_from            integer[],
    p_candidate_count           integer[],
    p_candidate_providers       text[],
    p_candidate_models          text[],
    p_candidate_costs           numeric[],
    p_candidate_spans_ms        bigint[],
    p_booking_from              integer[],
    p_booking_count             integer[],
    p_booking_budget_ids        text[],
    p_booking_window_starts     timestamptz[],
    p_booking_window_ends       timestamptz[],
    p_booking_model_providers   text[],
    p_booking_model_names       text[],
    p_booking_amounts           numeric[],
    p_denial_prefixes           text[],
    p_max_chain_ms              bigint[])
RETURNS TABLE (decision_index integer, outcome text, denial_message text, kept_candidates integer[],
               amount_usd numeric, expires_at timestamptz)
LANGUAGE plpgsql
-- the statements below take arrays whose sizes vary by call: a custom plan per call costs more than it saves
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    n             integer := coalesce(array_length(p_decision_ids, 1), 0);
    m             integer := coalesce(array_length(p_booking_budget_ids, 1), 0);
    budgets_now   bigint;
    fresh         boolean[];
    active        boolean[];
    results       text[];
    denials       text[];
    amounts       numeric[];
    expiries      timestamptz[];
    kept_of       text[];
    narrowed      boolean[];
    held          numeric[];
    booking_win   integer[];
    used          boolean[];
    reheld_amount numeric[];
    inserted_ids  uuid[];
    win_budget    text[] := '{}';
    win_start     timestamptz[] := '{}';
    win_room      numeric[] := '{}';
    win_add       numeric[] := '{}';
    kept          integer[];
    dropped       boolean[];
    c_first       integer;
    c_last        integer;
    model_booking boolean;
    any_left      boolean;
    any_new       boolean := false;
    any_rehold    boolean := false;
    any_narrowed  boolean := false;
    any_denied    boolean := false;
    missing       boolean;
    fast          boolean;
    attempt       integer;
    messages      text[];
    r             record;
    w             record;
    i             integer;
    j             integer;
    k             integer;
    c             integer;
    amt           numeric;
    spans         bigint;
    deny          text;
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;
    results := array_fill(NULL::text, ARRAY[n]);
    denials := array_fill(NULL::text, ARRAY[n]);
    amounts := array_fill(NULL::numeric, ARRAY[n]);
    expiries := array_fill(NULL::timestamptz, ARRAY[n]);
    kept_of := array_fill(NULL::text, ARRAY[n]);
    narrowed := array_fill(false, ARRAY[n]);
    active := array_fill(false, ARRAY[n]);
    reheld_amount := array_fill(NULL::numeric, ARRAY[n]);
    held := array_fill(NULL::numeric, ARRAY[greatest(m, 1)]);
    booking_win := array_fill(0, ARRAY[greatest(m, 1)]);
    used := array_fill(false, ARRAY[greatest(m, 1)]);

    -- a decision routed with budget definitions older than the committed ones is not booked: its replica reads them
    -- again and decides anew, so a budget defined through another replica applies from its commit on
    SELECT v.version INTO budgets_now FROM budget_definitions_version v;
    fresh := ARRAY(SELECT coalesce(u.version = budgets_now, false)
                   FROM unnest(p_budget_versions) WITH ORDINALITY AS u(version, ord) ORDER BY u.ord);
    FOR i IN 1 .. n LOOP
        IF NOT fresh[i] THEN
            results[i] := 'STALE';
        END IF;
    END LOOP;

    -- 1. redeliveries: their reservation rows first, by id, as outcomes and the expiry job lock them
    IF true = ANY (p_reholds) THEN
    PERFORM 1
    FROM reservations res
    WHERE res.id IN (SELECT u.id FROM unnest(p_reservation_ids, p_reholds, fresh) AS u(id, rehold, fresh)
                     WHERE u.rehold AND u.fresh)
    ORDER BY res.id
    FOR UPDATE OF res;
    -- read under the locks, in a statement of its own: its snapshot sees what an outcome or another redelivery
    -- committed while this call waited (the locking statement's snapshot was taken before it waited)
    FOR r IN
        SELECT res.id, res.status, res.amount_usd, dec.allowed,
               EXISTS (SELECT 1 FROM calls cl WHERE cl.decision_id = res.decision_id) AS settled
        FROM reservations res
        JOIN decisions dec ON dec.id = res.decision_id
        WHERE res.id IN (SELECT u.id FROM unnest(p_reservation_ids, p_reholds, fresh) AS u(id, rehold, fresh)
                         WHERE u.rehold AND u.fresh)
    LOOP
        FOR i IN 1 .. n LOOP
            IF p_reholds[i] AND fresh[i] AND p_reservation_ids[i] = r.id THEN
                IF r.status = 'EXPIRED' AND NOT r.settled AND r.allowed THEN
                    active[i] := true;
                    reheld_amount[i] := r.amount_usd;
                ELSE
                    results[i] := 'UNCHANGED';
                END IF;
            END IF;
        END LOOP;
    END LOOP;
    FOR i IN 1 .. n LOOP
        IF p_reholds[i] AND fresh[i] AND NOT active[i] AND results[i] IS NULL THEN
            results[i] := 'UNCHANGED';
        END IF;
    END LOOP;
    END IF;

    -- 2. new decisions, in key order (two batches with the same keys never wait for each other in a cycle)
    WITH ins AS (
        INSERT INTO decisions (id, idempotency_key, project, bpmn_process_id, process_definition_key,
                               process_instance_key, element_id, element_instance_key, job_key, task_kind, model_hint,
                               estimated_input_tokens, max_output_tokens, tags, allowed, denial_reason, denial_message,
                               candidates, created_at)
        SELECT u.id, u.idempotency_key, u.project, u.bpmn_process_id, u.process_definition_key,
               u.process_instance_key, u.element_id, u.element_instance_key, u.job_key, u.task_kind, u.model_hint,
               u.estimated_input_tokens, u.max_output_tokens, u.tags::jsonb, true, NULL, NULL, u.candidates::jsonb,
               u.booked_at
        FROM unnest(p_decision_ids, p_idempotency_keys, p_projects, p_bpmn_process_ids, p_process_definition_keys,
                    p_process_instance_keys, p_element_ids, p_element_instance_keys, p_job_keys, p_task_kinds,
                    p_model_hints, p_estimated_input_tokens, p_max_output_tokens, p_tags, p_candidates, p_booked_at,
                    fresh, p_reholds)
             AS u(id, idempotency_key, project, bpmn_process_id, process_definition_key, process_instance_key,
                  element_id, element_instance_key, job_key, task_kind, model_hint, estimated_input_tokens,
                  max_output_tokens, tags, candidates, booked_at, fresh, rehold)
        WHERE u.fresh AND NOT u.rehold
        ORDER BY u.idempotency_key COLLATE "C"
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id)
    SELECT coalesce(array_agg(ins.id), '{}') INTO inserted_ids FROM ins;
    FOR i IN 1 .. n LOOP
        IF fresh[i] AND NOT p_reholds[i] THEN
            IF p_decision_ids[i] = ANY (inserted_ids) THEN
                active[i] := true;
            ELSE
                results[i] := 'CONFLICT';
            END IF;
        END IF;
        IF active[i] THEN
            FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
                used[j] := true;
            END LOOP;
        END IF;
    END LOOP;

    -- 3. the windows, locked in lock order; a window missing (the first booking of a window) is created, in lock
    -- order, and the windows locked again
    IF m > 0 AND true = ANY (used) THEN
        FOR attempt IN 1 .. 2 LOOP
            win_budget := '{}';
            win_start := '{}';
            win_room := '{}';
            win_add := '{}';
            FOR w IN
                SELECT bw.budget_id, bw.window_start,
                       budget_room(b.mode, b.limit_usd, bw.spent_usd, bw.reserved_usd) AS room
                FROM budget_windows bw
                JOIN budgets b ON b.id = bw.budget_id
                JOIN (SELECT DISTINCT u.budget_id, u.window_start, (u.model_name IS NULL) AS whole_call
                      FROM unnest(p_booking_budget_ids, p_booking_window_starts, p_booking_model_names, used[1:m])
                           AS u(budget_id, window_start, model_name, used)
                      WHERE u.used) AS wanted
                  ON wanted.budget_id = bw.budget_id AND wanted.window_start = bw.window_start
                ORDER BY wanted.whole_call, bw.budget_id COLLATE "C", bw.window_start
                FOR NO KEY UPDATE OF bw
            LOOP
                win_budget := win_budget || w.budget_id;
                win_start := win_start || w.window_start;
                win_room := win_room || w.room;
                win_add := win_add || 0::numeric;
            END LOOP;
            missing := false;
            FOR j IN 1 .. m LOOP
                CONTINUE WHEN NOT used[j];
                -- none (0): a window to create; on the second pass, the budget was deleted after the caller read it
                -- and there is nothing to book in
                booking_win[j] := 0;
                FOR k IN 1 .. coalesce(array_length(win_budget, 1), 0) LOOP
                    IF win_budget[k] = p_booking_budget_ids[j] AND win_start[k] = p_booking_window_starts[j] THEN
                        booking_win[j] := k;
                        EXIT;
                    END IF;
                END LOOP;
                missing := missing OR booking_win[j] = 0;
            END LOOP;
            EXIT WHEN NOT missing OR attempt = 2;
            INSERT INTO budget_windows (budget_id, window_start, window_end)
            SELECT u.budget_id, u.window_start, min(u.window_end)
            FROM unnest(p_booking_budget_ids, p_booking_window_starts, p_booking_window_ends, p_booking_model_names,
                        used[1:m]) AS u(budget_id, window_start, window_end, model_name, used)
            WHERE u.used AND EXISTS (SELECT 1 FROM budgets b WHERE b.id = u.budget_id)
            GROUP BY u.budget_id, u.window_start, (u.model_name IS NULL)
            ORDER BY (u.model_name IS NULL), u.budget_id COLLATE "C", u.window_start
            ON CONFLICT (budget_id, window_start) DO NOTHING;
        END LOOP;
    END IF;

    -- 4. admission, in the order the decisions were given; plain loops over the arrays (no query per decision)
    dropped := array_fill(false, ARRAY[greatest(coalesce(array_length(p_candidate_costs, 1), 0), 1)]);
    FOR i IN 1 .. n LOOP
        CONTINUE WHEN NOT active[i];
        c_first := p_candidate_from[i];
        c_last := p_candidate_from[i] + p_candidate_count[i] - 1;
        -- the usual decision (no model budget, not a redelivery): one amount for every booking, the chain kept whole
        fast := NOT p_reholds[i];
        FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
            IF p_booking_model_names[j] IS NOT NULL THEN
                fast := false;
                EXIT;
            END IF;
        END LOOP;
        IF fast THEN
            amt := 0;
            spans := 0;
            FOR c IN c_first .. c_last LOOP
                amt := greatest(amt, p_candidate_costs[c]);
                spans := spans + p_candidate_spans_ms[c];
            END LOOP;
            deny := NULL;
            FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
                k := booking_win[j];
                CONTINUE WHEN k = 0;
                IF NOT budget_admits(win_room[k], win_add[k], amt) THEN
                    deny := budget_shortfall(p_denial_prefixes[j], win_room[k], win_add[k], amt);
                    EXIT;
                END IF;
                win_add[k] := win_add[k] + amt;
                held[j] := amt;
            END LOOP;
            IF deny IS NULL THEN
                results[i] := 'ALLOWED';
                amounts[i] := amt;
                expiries[i] := p_booked_at[i]
                    + greatest(p_ttl_ms[i], least(spans, p_max_chain_ms[i])) * interval '1 millisecond';
                any_new := true;
                CONTINUE;
            END IF;
        ELSE
        -- model budgets or a redelivery: the general path
        messages := '{}';
        deny := NULL;
        FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
            k := booking_win[j];
            CONTINUE WHEN k = 0;
            model_booking := p_booking_model_names[j] IS NOT NULL AND NOT p_reholds[i];
            IF p_reholds[i] THEN
                amt := p_booking_amounts[j];
            ELSE
                -- the worst case of the candidates kept so far (a model budget's: of those on its model)
                amt := NULL;
                FOR c IN c_first .. c_last LOOP
                    IF NOT dropped[c] AND (NOT model_booking
                            OR (p_candidate_models[c] = p_booking_model_names[j]
                                AND (p_booking_model_providers[j] IS NULL
                                     OR p_candidate_providers[c] = p_booking_model_providers[j]))) THEN
                        amt := greatest(amt, p_candidate_costs[c]);
                    END IF;
                END LOOP;
                CONTINUE WHEN model_booking AND amt IS NULL;
                amt := coalesce(amt, 0);
            END IF;
            IF budget_admits(win_room[k], win_add[k], amt) THEN
                win_add[k] := win_add[k] + amt;
                held[j] := amt;
                CONTINUE;
            END IF;
            messages := messages || budget_shortfall(p_denial_prefixes[j], win_room[k], win_add[k], amt);
            IF NOT model_booking THEN
                deny := CASE WHEN p_reholds[i]
                             THEN 'the reservation of this decision expired before its outcome arrived, and '
                             ELSE '' END || messages[cardinality(messages)];
                EXIT;
            END IF;
            -- this model has no room left: the call may still go to the other candidates
            narrowed[i] := true;
            any_left := false;
            FOR c IN c_first .. c_last LOOP
                IF NOT dropped[c] AND p_candidate_models[c] = p_booking_model_names[j]
                        AND (p_booking_model_providers[j] IS NULL
                             OR p_candidate_providers[c] = p_booking_model_providers[j]) THEN
                    dropped[c] := true;
                END IF;
                any_left := any_left OR NOT dropped[c];
            END LOOP;
            IF NOT any_left THEN
                deny := 'no candidate model fits its model budget: ' || array_to_string(messages, '; ');
                EXIT;
            END IF;
        END LOOP;

        IF deny IS NULL AND narrowed[i] THEN
            -- a model budget whose every candidate was dropped afterwards holds nothing
            FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
                IF held[j] IS NOT NULL AND p_booking_model_names[j] IS NOT NULL THEN
                    any_left := false;
                    FOR c IN c_first .. c_last LOOP
                        any_left := any_left OR (NOT dropped[c] AND p_candidate_models[c] = p_booking_model_names[j]
                            AND (p_booking_model_providers[j] IS NULL
                                 OR p_candidate_providers[c] = p_booking_model_providers[j]));
                    END LOOP;
                    IF NOT any_left THEN
                        win_add[booking_win[j]] := win_add[booking_win[j]] - held[j];
                        held[j] := NULL;
                    END IF;
                END IF;
            END LOOP;
        END IF;
        END IF; -- the general path

        IF deny IS NOT NULL THEN
            -- give back what the bookings before the full one held
            FOR j IN p_booking_from[i] .. p_booking_from[i] + p_booking_count[i] - 1 LOOP
                IF held[j] IS NOT NULL THEN
                    win_add[booking_win[j]] := win_add[booking_win[j]] - held[j];
                    held[j] := NULL;
                END IF;
            END LOOP;
            results[i] := 'DENIED';
            denials[i] := deny;
            narrowed[i] := false;
            any_denied := true;
            any_rehold := any_rehold OR p_reholds[i];
            CONTINUE;
        END IF;

        results[i] := 'ALLOWED';
        amt := NULL;
        spans := 0;
        kept := '{}';
        FOR c IN c_first .. c_last LOOP
            IF NOT dropped[c] THEN
                amt := greatest(amt, p_candidate_costs[c]);
                spans := spans + p_candidate_spans_ms[c];
                kept := kept || (c - c_first + 1);
            END IF;
        END LOOP;
        amounts[i] := CASE WHEN p_reholds[i] THEN reheld_amount[i] ELSE coalesce(amt, 0) END;
        expiries[i] := p_booked_at[i] + greatest(p_ttl_ms[i], least(spans, p_max_chain_ms[i])) * interval '1 millisecond';
        kept_of[i] := array_to_string(kept, ',');
        any_narrowed := any_narrowed OR narrowed[i];
        IF p_reholds[i] THEN
            any_rehold := true;
        ELSE
            any_new := true;
        END IF;
    END LOOP;

    -- 5. what the admission decided: one statement per kind of write, and only the statements there is something for
    IF coalesce(array_length(win_budget, 1), 0) > 0 THEN
        UPDATE budget_windows bw
        SET reserved_usd = bw.reserved_usd + u.added
        FROM unnest(win_budget, win_start, win_add) AS u(budget_id, window_start, added)
        WHERE u.added <> 0 AND bw.budget_id = u.budget_id AND bw.window_start = u.window_start;
    END IF;

    IF any_rehold THEN
    -- a redelivery held again: its old holds make way for the new ones
    DELETE FROM reservation_holds h
    USING unnest(p_reservation_ids, p_reholds, results) AS u(id, rehold, result)
    WHERE u.rehold AND u.result = 'ALLOWED' AND h.reservation_id = u.id;
    UPDATE reservations res
    SET status = 'OPEN', closed_at = NULL, expires_at = u.expires_at
    FROM unnest(p_reservation_ids, p_reholds, results, expiries) AS u(id, rehold, result, expires_at)
    WHERE u.rehold AND u.result = 'ALLOWED' AND res.id = u.id;
    INSERT INTO reservation_events (reservation_id, kind, reserved_released_usd, spent_posted_usd, reserved_held_usd,
                                    occurred_at)
    SELECT u.id, CASE WHEN u.result = 'ALLOWED' THEN 'REHELD' ELSE 'REHOLD_DENIED' END, 0, 0,
           CASE WHEN u.result = 'ALLOWED' THEN u.amount ELSE 0 END, u.booked_at
    FROM unnest(p_reservation_ids, p_reholds, results, amounts, p_booked_at)
         AS u(id, rehold, result, amount, booked_at)
    WHERE u.rehold AND u.result IN ('ALLOWED', 'DENIED');
    END IF;

    IF any_new OR any_rehold THEN
    WITH reserved AS (
        INSERT INTO reservations (id, decision_id, amount_usd, status, created_at, expires_at)
        SELECT u.id, u.decision_id, u.amount, 'OPEN', u.booked_at, u.expires_at
        FROM unnest(p_reservation_ids, p_decision_ids, amounts, p_booked_at, expiries, p_reholds, results)
             AS u(id, decision_id, amount, booked_at, expires_at, rehold, result)
        WHERE NOT u.rehold AND u.result = 'ALLOWED')
    INSERT INTO reservation_holds (reservation_id, budget_id, window_start, amount_usd, model_provider, model_name)
    SELECT p_reservation_ids[d.i], p_booking_budget_ids[b.j], p_booking_window_starts[b.j], held[b.j],
           p_booking_model_providers[b.j], p_booking_model_names[b.j]
    FROM generate_series(1, n) AS d(i)
    CROSS JOIN LATERAL generate_series(p_booking_from[d.i], p_booking_from[d.i] + p_booking_count[d.i] - 1) AS b(j)
    WHERE results[d.i] = 'ALLOWED' AND held[b.j] IS NOT NULL;
    END IF;

    IF any_narrowed THEN
    UPDATE decisions dec
    SET candidates = (SELECT coalesce(jsonb_agg(e.value ORDER BY e.ord), '[]'::jsonb)
                      FROM jsonb_array_elements(dec.candidates) WITH ORDINALITY AS e(value, ord)
                      WHERE e.ord = ANY (string_to_array(u.kept, ',')::integer[]))
    FROM unnest(p_decision_ids, narrowed, results, kept_of) AS u(id, narrowed, result, kept)
    WHERE u.narrowed AND u.result = 'ALLOWED' AND dec.id = u.id;
    END IF;

    IF any_denied THEN
    UPDATE decisions dec
    SET allowed = false, denial_reason = 'BUDGET_EXCEEDED', denial_message = u.message, candidates = '[]'::jsonb
    FROM unnest(p_decision_ids, denials) AS u(id, message)
    WHERE u.message IS NOT NULL AND dec.id = u.id;
    END IF;

    FOR i IN 1 .. n LOOP
        decision_index := i;
        outcome := results[i];
        denial_message := denials[i];
        kept_candidates := CASE WHEN results[i] = 'ALLOWED' AND kept_of[i] IS NOT NULL
                                THEN string_to_array(kept_of[i], ',')::integer[] END;
        amount_usd := amounts[i];
        expires_at := expiries[i];
        RETURN NEXT;
    END LOOP;
END;
$$;
