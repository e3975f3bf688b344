-- Decisions, budget reservations and the call ledger (one call per decision outcome, one row per attempt).

CREATE TABLE decisions (
    id                      uuid PRIMARY KEY,
    idempotency_key         text NOT NULL CONSTRAINT decisions_idempotency_key_unique UNIQUE,
    project                 text NOT NULL,
    bpmn_process_id         text NOT NULL,
    process_definition_key  bigint,
    process_instance_key    bigint NOT NULL,
    element_id              text NOT NULL,
    element_instance_key    bigint NOT NULL,
    job_key                 bigint,
    task_kind               text NOT NULL,
    model_hint              text,
    estimated_input_tokens  integer NOT NULL CHECK (estimated_input_tokens >= 0),
    max_output_tokens       integer NOT NULL CHECK (max_output_tokens >= 1),
    tags                    jsonb NOT NULL DEFAULT '{}'::jsonb,
    allowed                 boolean NOT NULL,
    denial_reason           text CHECK (denial_reason IN ('BUDGET_EXCEEDED', 'POLICY_DENIED', 'MODEL_RETIRED')),
    denial_message          text,
    -- ordered failover chain handed to the worker: [{"provider":..,"model":..,"maxOutputTokens":..,"timeoutMs":..}]
    candidates              jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at              timestamptz NOT NULL,
    CONSTRAINT decisions_denial_has_reason CHECK (allowed = (denial_reason IS NULL))
);
CREATE INDEX decisions_process_instance_idx ON decisions (process_instance_key);

CREATE TABLE reservations (
    id           uuid PRIMARY KEY,
    decision_id  uuid NOT NULL UNIQUE REFERENCES decisions (id),
    amount_usd   numeric(20, 12) NOT NULL CONSTRAINT reservations_amount_non_negative CHECK (amount_usd >= 0),
    status       text NOT NULL CHECK (status IN ('OPEN', 'SETTLED', 'EXPIRED', 'RELEASED')),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    closed_at    timestamptz,
    CONSTRAINT reservations_closed_when_not_open CHECK ((status = 'OPEN') = (closed_at IS NULL))
);
CREATE INDEX reservations_open_expiry_idx ON reservations (expires_at) WHERE status = 'OPEN';

-- The budget windows a reservation holds money in, so settling and expiring touch exactly those rows
CREATE TABLE reservation_holds (
    reservation_id  uuid NOT NULL REFERENCES reservations (id),
    budget_id       text NOT NULL,
    window_start    timestamptz NOT NULL,
    amount_usd      numeric(20, 12) NOT NULL CHECK (amount_usd >= 0),
    PRIMARY KEY (reservation_id, budget_id),
    FOREIGN KEY (budget_id, window_start) REFERENCES budget_windows (budget_id, window_start) ON DELETE CASCADE
);

CREATE TABLE calls (
    id                        uuid PRIMARY KEY,
    -- one outcome per decision: a second post finds this row and changes nothing
    decision_id               uuid NOT NULL CONSTRAINT calls_one_per_decision UNIQUE REFERENCES decisions (id),
    ledger_seq                bigint GENERATED ALWAYS AS IDENTITY,
    status                    text NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED')),
    -- the succeeded attempt's model, or the last attempt's when all failed
    provider                  text NOT NULL,
    model                     text NOT NULL,
    -- totals over all attempts
    input_tokens              bigint NOT NULL CHECK (input_tokens >= 0),
    cached_input_tokens       bigint NOT NULL CHECK (cached_input_tokens >= 0),
    cache_write_input_tokens  bigint NOT NULL CHECK (cache_write_input_tokens >= 0),
    output_tokens             bigint NOT NULL CHECK (output_tokens >= 0),
    reasoning_tokens          bigint NOT NULL CHECK (reasoning_tokens >= 0),
    latency_ms                bigint NOT NULL CHECK (latency_ms >= 0),
    cost_usd                  numeric(20, 12) NOT NULL CHECK (cost_usd >= 0),
    -- the part of the reservation given back when the call settled
    released_usd              numeric(20, 12) NOT NULL CHECK (released_usd >= 0),
    quality_scores            jsonb NOT NULL DEFAULT '{}'::jsonb,
    request_text              text,
    response_text             text,
    created_at                timestamptz NOT NULL
);
CREATE INDEX calls_created_idx ON calls (created_at, ledger_seq);

CREATE TABLE call_attempts (
    call_id                   uuid NOT NULL REFERENCES calls (id),
    attempt_no                integer NOT NULL CHECK (attempt_no >= 1),
    provider                  text NOT NULL,
    model                     text NOT NULL,
    input_tokens              bigint NOT NULL CHECK (input_tokens >= 0),
    cached_input_tokens       bigint NOT NULL CHECK (cached_input_tokens >= 0),
    cache_write_input_tokens  bigint NOT NULL CHECK (cache_write_input_tokens >= 0),
    output_tokens             bigint NOT NULL CHECK (output_tokens >= 0),
    reasoning_tokens          bigint NOT NULL CHECK (reasoning_tokens >= 0),
    latency_ms                bigint NOT NULL CHECK (latency_ms >= 0),
    status                    text NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED')),
    error_class               text,
    -- priced from the catalog at the time of the call
    cost_usd                  numeric(20, 12) NOT NULL CHECK (cost_usd >= 0),
    PRIMARY KEY (call_id, attempt_no),
    CONSTRAINT call_attempts_cached_within_input CHECK (cached_input_tokens + cache_write_input_tokens <= input_tokens),
    CONSTRAINT call_attempts_reasoning_within_output CHECK (reasoning_tokens <= output_tokens)
);
