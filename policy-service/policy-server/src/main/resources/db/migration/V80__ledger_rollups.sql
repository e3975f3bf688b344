-- Rollups of the call ledger for the dashboards, written in the transaction that records a call (so they never
-- disagree with the ledger), read instead of millions of ledger rows.
--
-- ledger_hourly: one row per UTC hour x project x workflow x BPMN element x provider x model. Attempts, tokens and
-- cost count in the row of each attempt's model (as the spend report groups them); a call counts once, in the row of
-- the model it ended on, with its status, whether it failed over (its attempts span more than one model) and its
-- latency (all attempts) in a histogram whose bucket upper bounds (ms) are stated in LedgerRollups (the Java side).
CREATE TABLE ledger_hourly (
    hour               timestamptz NOT NULL,
    project            text NOT NULL,
    bpmn_process_id    text NOT NULL,
    element_id         text NOT NULL,
    provider           text NOT NULL,
    model              text NOT NULL,
    calls              bigint NOT NULL CHECK (calls >= 0),
    failed_calls       bigint NOT NULL CHECK (failed_calls >= 0),
    failed_over_calls  bigint NOT NULL CHECK (failed_over_calls >= 0),
    attempts           bigint NOT NULL CHECK (attempts >= 0),
    failed_attempts    bigint NOT NULL CHECK (failed_attempts >= 0),
    input_tokens       bigint NOT NULL CHECK (input_tokens >= 0),
    output_tokens      bigint NOT NULL CHECK (output_tokens >= 0),
    cost_usd           numeric(24, 12) NOT NULL CHECK (cost_usd >= 0),
    latency_ms_sum     bigint NOT NULL CHECK (latency_ms_sum >= 0),
    latency_buckets    bigint[] NOT NULL,
    PRIMARY KEY (project, bpmn_process_id, hour, element_id, provider, model)
);
CREATE INDEX ledger_hourly_hour_idx ON ledger_hourly (hour);
-- a workflow's page reads its rows of a range, whichever projects the caller may see
CREATE INDEX ledger_hourly_workflow_idx ON ledger_hourly (bpmn_process_id, hour);

-- one row per process instance with AI calls: what it cost in all, for "the instances that cost most"
CREATE TABLE instance_spend (
    project               text NOT NULL,
    process_instance_key  bigint NOT NULL,
    bpmn_process_id       text NOT NULL,
    first_call_at         timestamptz NOT NULL,
    last_call_at          timestamptz NOT NULL,
    calls                 bigint NOT NULL CHECK (calls >= 0),
    cost_usd              numeric(24, 12) NOT NULL CHECK (cost_usd >= 0),
    PRIMARY KEY (project, process_instance_key)
);
CREATE INDEX instance_spend_workflow_cost_idx ON instance_spend (bpmn_process_id, cost_usd DESC);

-- Adds the calls with ledger_seq in [first_seq, last_seq] to both rollups: the one statement that states how a call
-- counts. The service runs it for each call it records, in the same transaction; it ran here over the whole ledger.
-- Rows are upserted in key order, so two transactions never wait on each other's rollup rows in a cycle.
CREATE FUNCTION ledger_rollup(first_seq bigint, last_seq bigint) RETURNS void
LANGUAGE sql AS $$
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
$$;

-- the ledger as it stands
SELECT ledger_rollup(0, (SELECT coalesce(max(ledger_seq), 0) FROM calls));
