-- API keys, routing policies and budgets.

CREATE TABLE api_keys (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    -- hex SHA-256 of the key; the key itself is never stored
    key_hash    text NOT NULL UNIQUE CONSTRAINT api_keys_hash_is_sha256 CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    role        text NOT NULL CHECK (role IN ('ADMIN', 'WORKER', 'VIEWER')),
    -- empty: every project
    projects    text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE TABLE routing_policies (
    id          text PRIMARY KEY,
    -- NULL matches any project / any task kind; the most specific matching policy wins
    project     text,
    task_kind   text,
    -- ordered failover chain: [{"provider":..,"model":..,"timeoutMs":..}]
    candidates  jsonb NOT NULL CONSTRAINT routing_policies_candidates_is_array CHECK (jsonb_typeof(candidates) = 'array'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE budgets (
    id                     text PRIMARY KEY,
    -- NULL matches every project / every process: both NULL is an organisation-wide budget
    scope_project          text,
    scope_bpmn_process_id  text,
    period                 text NOT NULL CHECK (period IN ('DAY', 'WEEK', 'MONTH')),
    limit_usd              numeric(20, 12) NOT NULL CONSTRAINT budgets_limit_positive CHECK (limit_usd > 0),
    mode                   text NOT NULL CHECK (mode IN ('HARD', 'SOFT')),
    time_zone              text NOT NULL DEFAULT 'UTC',
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

-- One row per budget and period window; the decision path reserves money here with one conditional UPDATE
CREATE TABLE budget_windows (
    budget_id     text NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    spent_usd     numeric(20, 12) NOT NULL DEFAULT 0 CONSTRAINT budget_windows_spent_non_negative CHECK (spent_usd >= 0),
    reserved_usd  numeric(20, 12) NOT NULL DEFAULT 0 CONSTRAINT budget_windows_reserved_non_negative CHECK (reserved_usd >= 0),
    PRIMARY KEY (budget_id, window_start),
    CONSTRAINT budget_windows_ordered CHECK (window_end > window_start)
);
