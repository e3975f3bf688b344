-- Rollups of the quality ledger (call_scores, call_feedback) for the quality report and page, written in the
-- transaction that records a call's outcome or a feedback on it (so they never disagree with the ledger), read instead
-- of millions of calls and scores. Both are keyed by UTC hour x project x workflow x BPMN element x provider x model x
-- prompt (name and version; '' and 0 for a call not built from a registered prompt), as the quality report groups.
--
-- quality_calls_hourly: each call once, for the model it ended on (calls.model), with the figures the report shows per
-- call: succeeded; successful (succeeded, and no failed boolean score on the answer it returned, its first succeeded
-- attempt, or on the call as a whole); cost (turned-away answers included); with feedback; accepted (feedback, and no
-- failed boolean verdict among the feedback scores). Feedback arrives later and can take "successful" or "accepted"
-- back, so those two columns move both ways (no sign check: an upsert checks the row it proposes, a negative change).
CREATE TABLE quality_calls_hourly (
    hour              timestamptz NOT NULL,
    project           text NOT NULL,
    bpmn_process_id   text NOT NULL,
    element_id        text NOT NULL,
    provider          text NOT NULL,
    model             text NOT NULL,
    prompt_name       text NOT NULL,
    prompt_version    integer NOT NULL,
    calls             bigint NOT NULL,
    succeeded_calls   bigint NOT NULL,
    successful_calls  bigint NOT NULL,
    cost_usd          numeric(24, 12) NOT NULL,
    feedback_calls    bigint NOT NULL,
    accepted_calls    bigint NOT NULL,
    PRIMARY KEY (project, bpmn_process_id, hour, element_id, provider, model, prompt_name, prompt_version)
);
CREATE INDEX quality_calls_hourly_hour_idx ON quality_calls_hourly (hour);
CREATE INDEX quality_calls_hourly_workflow_idx ON quality_calls_hourly (bpmn_process_id, hour);

-- quality_hourly: the scores, per name, source and type, in the row of the scored attempt's model (a score of the
-- whole call: the call's model), in the hour of the call (feedback days later lands in its call's hour): how many,
-- how many with a value and their sum (exact), and of the boolean ones how many passed (1) and failed (0).
CREATE TABLE quality_hourly (
    hour              timestamptz NOT NULL,
    project           text NOT NULL,
    bpmn_process_id   text NOT NULL,
    element_id        text NOT NULL,
    provider          text NOT NULL,
    model             text NOT NULL,
    prompt_name       text NOT NULL,
    prompt_version    integer NOT NULL,
    score_name        text NOT NULL,
    source            text NOT NULL,
    score_type        text NOT NULL,
    scored            bigint NOT NULL CHECK (scored >= 0),
    valued            bigint NOT NULL CHECK (valued >= 0),
    value_sum         numeric(24, 6) NOT NULL CHECK (value_sum >= 0),
    passed            bigint NOT NULL CHECK (passed >= 0),
    failed            bigint NOT NULL CHECK (failed >= 0),
    PRIMARY KEY (project, bpmn_process_id, hour, element_id, provider, model, prompt_name, prompt_version, score_name,
                 source, score_type)
);
CREATE INDEX quality_hourly_hour_idx ON quality_hourly (hour);
CREATE INDEX quality_hourly_workflow_idx ON quality_hourly (bpmn_process_id, hour);

-- Both rollup functions find the calls they add by ledger_seq, which had no index of its own.
CREATE UNIQUE INDEX calls_ledger_seq_idx ON calls (ledger_seq);

-- ledger_rollup (V80) unchanged but for its language: a LANGUAGE sql function's statements are planned for any
-- first_seq/last_seq (PostgreSQL 17 estimates a range of 0.5 % of the calls), so each outcome's rollup of its one call
-- read all of call_attempts (0.2 s per outcome at a million calls); PL/pgSQL plans them for the values given, every
-- time (a cached plan for any values would be that plan again).
CREATE OR REPLACE FUNCTION ledger_rollup(first_seq bigint, last_seq bigint) RETURNS void
LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
BEGIN
    WITH chosen AS (
        SELECT c.id, c.created_at, c.status, c.latency_ms, c.cost_usd, d.project, d.bpmn_process_id, d.element_id,
               d.process_instance_key,
               (SELECT max(attempt_no) FROM call_attempts x WHERE x.call_id = c.id) AS last_attempt,
               (SELECT count(DISTINCT (x.provider, x.model)) FROM call_attempts x WHERE x.call_id = c.id) AS models
          FROM calls c
          JOIN decisions d ON d.id = c.decision_id
         WHERE c.ledger_seq BETWEEN first_seq AND last_seq
    ), attempts AS (
        SELECT date_trunc('hour', c.created_at, 'UTC') AS hour, c.project, c.bpmn_process_id, c.element_id,
               a.provider, a.model, a.status AS attempt_status, a.input_tokens, a.output_tokens, a.cost_usd,
               a.attempt_no = c.last_attempt AS decisive, c.status, c.models, c.latency_ms,
               -- bucket upper bounds in ms; the last bucket is unbounded (LedgerRollups.LATENCY_BOUNDS_MS)
               width_bucket(c.latency_ms,
                   ARRAY[101, 251, 501, 1001, 2001, 3001, 5001, 7501, 10001, 15001, 30001, 60001]::bigint[])
                   + 1 AS bucket
          FROM chosen c
          JOIN call_attempts a ON a.call_id = c.id
    )
    INSERT INTO ledger_hourly AS h
    SELECT hour, project, bpmn_process_id, element_id, provider, model,
           count(*) FILTER (WHERE decisive),
           count(*) FILTER (WHERE decisive AND status = 'FAILED'),
           count(*) FILTER (WHERE decisive AND models > 1),
           count(*),
           count(*) FILTER (WHERE attempt_status = 'FAILED'),
           sum(input_tokens), sum(output_tokens), sum(cost_usd),
           coalesce(sum(latency_ms) FILTER (WHERE decisive), 0),
           ARRAY[count(*) FILTER (WHERE decisive AND bucket = 1), count(*) FILTER (WHERE decisive AND bucket = 2), count(*) FILTER (WHERE decisive AND bucket = 3),
                 count(*) FILTER (WHERE decisive AND bucket = 4), count(*) FILTER (WHERE decisive AND bucket = 5), count(*) FILTER (WHERE decisive AND bucket = 6),
                 count(*) FILTER (WHERE decisive AND bucket = 7), count(*) FILTER (WHERE decisive AND bucket = 8), count(*) FILTER (WHERE decisive AND bucket = 9),
                 count(*) FILTER (WHERE decisive AND bucket = 10), count(*) FILTER (WHERE decisive AND bucket = 11), count(*) FILTER (WHERE decisive AND bucket = 12),
                 count(*) FILTER (WHERE decisive AND bucket = 13)]
      FROM attempts
     GROUP BY hour, project, bpmn_process_id, element_id, provider, model
     ORDER BY project, bpmn_process_id, hour, element_id, provider, model
    ON CONFLICT (project, bpmn_process_id, hour, element_id, provider, model) DO UPDATE SET
           calls = h.calls + excluded.calls,
           failed_calls = h.failed_calls + excluded.failed_calls,
           failed_over_calls = h.failed_over_calls + excluded.failed_over_calls,
           attempts = h.attempts + excluded.attempts,
           failed_attempts = h.failed_attempts + excluded.failed_attempts,
           input_tokens = h.input_tokens + excluded.input_tokens,
           output_tokens = h.output_tokens + excluded.output_tokens,
           cost_usd = h.cost_usd + excluded.cost_usd,
           latency_ms_sum = h.latency_ms_sum + excluded.latency_ms_sum,
           latency_buckets = ARRAY(SELECT h.latency_buckets[i] + excluded.latency_buckets[i]
                                     FROM generate_series(1, 13) i);

    INSERT INTO instance_spend AS s
    SELECT project, process_instance_key, min(bpmn_process_id), min(created_at), max(created_at), count(*),
           sum(cost_usd)
      FROM (SELECT c.id, c.created_at, c.cost_usd, d.project, d.bpmn_process_id, d.process_instance_key
              FROM calls c JOIN decisions d ON d.id = c.decision_id
             WHERE c.ledger_seq BETWEEN first_seq AND last_seq) chosen
     GROUP BY project, process_instance_key
     ORDER BY project, process_instance_key
    ON CONFLICT (project, process_instance_key) DO UPDATE SET
           first_call_at = least(s.first_call_at, excluded.first_call_at),
           last_call_at = greatest(s.last_call_at, excluded.last_call_at),
           calls = s.calls + excluded.calls,
           cost_usd = s.cost_usd + excluded.cost_usd;
END
$$;

-- Adds to both rollups, the one statement of how calls and scores count:
--  * feedback null: the calls with ledger_seq in [first_seq, last_seq], with all their scores (the service runs it for
--    each call it records, after the outcome's rule scores; it ran here over the whole ledger);
--  * feedback given: what that feedback (already stored, with its scores) changes for its call (first_seq = last_seq =
--    the call's ledger_seq): its scores, and the call's figures with the feedback less those without it. Feedback
--    only ever adds scores (a later verdict does not replace an earlier one: one failed verdict makes the call not
--    accepted for good), and the call's row is locked first, so two feedbacks on one call count one after the other,
--    each against the other's committed scores (NO KEY UPDATE: the feedback rows' own key-share locks do not block it).
-- Rows are upserted in key order, calls' rollup before scores' rollup, so two transactions never wait on each other's
-- rollup rows in a cycle; a change of nothing touches no row.
CREATE FUNCTION quality_rollup(first_seq bigint, last_seq bigint, feedback uuid) RETURNS void
LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
BEGIN
    IF feedback IS NOT NULL THEN
        PERFORM 1 FROM calls WHERE ledger_seq BETWEEN first_seq AND last_seq FOR NO KEY UPDATE;
    END IF;

    WITH chosen AS (
        SELECT c.id, date_trunc('hour', c.created_at, 'UTC') AS hour, d.project, d.bpmn_process_id, d.element_id,
               c.provider, c.model, coalesce(c.prompt_name, '') AS prompt_name,
               coalesce(c.prompt_version, 0) AS prompt_version, c.status = 'SUCCEEDED' AS succeeded, c.cost_usd,
               (SELECT min(x.attempt_no) FROM call_attempts x
                 WHERE x.call_id = c.id AND x.status = 'SUCCEEDED') AS used_attempt
          FROM calls c
          JOIN decisions d ON d.id = c.decision_id
         WHERE c.ledger_seq BETWEEN first_seq AND last_seq
    ), states AS (
        -- the call as it stands (+1), and, for feedback, as it stood without it (-1)
        SELECT c.*, v.sign,
               c.succeeded AND NOT EXISTS (
                   SELECT 1 FROM call_scores s
                    WHERE s.call_id = c.id AND s.score_type = 'BOOLEAN' AND s.value = 0
                      AND (s.attempt_no IS NULL OR s.attempt_no = c.used_attempt)
                      AND (v.sign = 1 OR s.feedback_id IS DISTINCT FROM feedback)) AS successful,
               EXISTS (
                   SELECT 1 FROM call_feedback f
                    WHERE f.call_id = c.id AND (v.sign = 1 OR f.id <> feedback)) AS has_feedback,
               EXISTS (
                   SELECT 1 FROM call_scores s
                    WHERE s.call_id = c.id AND s.feedback_id IS NOT NULL AND s.score_type = 'BOOLEAN'
                      AND s.value = 0 AND (v.sign = 1 OR s.feedback_id <> feedback)) AS feedback_failed
          FROM chosen c
         CROSS JOIN (VALUES (1), (-1)) v(sign)
         WHERE v.sign = 1 OR feedback IS NOT NULL
    )
    INSERT INTO quality_calls_hourly AS h
    SELECT hour, project, bpmn_process_id, element_id, provider, model, prompt_name, prompt_version,
           sum(sign),
           coalesce(sum(sign) FILTER (WHERE succeeded), 0),
           coalesce(sum(sign) FILTER (WHERE successful), 0),
           sum(sign * cost_usd),
           coalesce(sum(sign) FILTER (WHERE has_feedback), 0),
           coalesce(sum(sign) FILTER (WHERE has_feedback AND NOT feedback_failed), 0)
      FROM states
     GROUP BY hour, project, bpmn_process_id, element_id, provider, model, prompt_name, prompt_version
    HAVING sum(sign) <> 0
        OR coalesce(sum(sign) FILTER (WHERE successful), 0) <> 0
        OR coalesce(sum(sign) FILTER (WHERE has_feedback), 0) <> 0
        OR coalesce(sum(sign) FILTER (WHERE has_feedback AND NOT feedback_failed), 0) <> 0
     ORDER BY project, bpmn_process_id, hour, element_id, provider, model, prompt_name, prompt_version
    ON CONFLICT (project, bpmn_process_id, hour, element_id, provider, model, prompt_name, prompt_version)
    DO UPDATE SET
           calls = h.calls + excluded.calls,
           succeeded_calls = h.succeeded_calls + excluded.succeeded_calls,
           successful_calls = h.successful_calls + excluded.successful_calls,
           cost_usd = h.cost_usd + excluded.cost_usd,
           feedback_calls = h.feedback_calls + excluded.feedback_calls,
           accepted_calls = h.accepted_calls + excluded.accepted_calls;

    INSERT INTO quality_hourly AS h
    SELECT date_trunc('hour', c.created_at, 'UTC'), d.project, d.bpmn_process_id, d.element_id,
           coalesce(a.provider, c.provider), coalesce(a.model, c.model), coalesce(c.prompt_name, ''),
           coalesce(c.prompt_version, 0), s.name, s.source, s.score_type,
           count(*), count(s.value), coalesce(sum(s.value), 0),
           count(*) FILTER (WHERE s.score_type = 'BOOLEAN' AND s.value = 1),
           count(*) FILTER (WHERE s.score_type = 'BOOLEAN' AND s.value = 0)
      FROM calls c
      JOIN decisions d ON d.id = c.decision_id
      JOIN call_scores s ON s.call_id = c.id AND (feedback IS NULL OR s.feedback_id = feedback)
      LEFT JOIN call_attempts a ON a.call_id = s.call_id AND a.attempt_no = s.attempt_no
     WHERE c.ledger_seq BETWEEN first_seq AND last_seq
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
     ORDER BY 2, 3, 1, 4, 5, 6, 7, 8, 9, 10, 11
    ON CONFLICT (project, bpmn_process_id, hour, element_id, provider, model, prompt_name, prompt_version, score_name,
                 source, score_type)
    DO UPDATE SET
           scored = h.scored + excluded.scored,
           valued = h.valued + excluded.valued,
           value_sum = h.value_sum + excluded.value_sum,
           passed = h.passed + excluded.passed,
           failed = h.failed + excluded.failed;
END
$$;

-- the quality ledger as it stands
SELECT quality_rollup(0, (SELECT coalesce(max(ledger_seq), 0) FROM calls), NULL);
