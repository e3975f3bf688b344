-- Alert rules, the alerts they fired (once per rule x subject x period) and the outbox of their deliveries.

CREATE TABLE alert_rules (
    id                  text PRIMARY KEY,
    -- null: the rule watches every project
    project             text,
    kind                text NOT NULL CHECK (kind IN ('BUDGET_THRESHOLD', 'DAILY_SPEND_ABOVE', 'ERROR_RATE_ABOVE',
                                                      'NEW_MODEL_FOR_WORKFLOW', 'MODEL_SHARE_JUMP',
                                                      'AUDIT_CHAIN_BROKEN')),
    budget_id           text,
    bpmn_process_id     text,
    provider            text,
    model               text,
    threshold_usd       numeric(20, 12) CHECK (threshold_usd >= 0),
    threshold_percent   numeric(9, 4) CHECK (threshold_percent >= 0),
    window_seconds      bigint CHECK (window_seconds > 0),
    min_attempts        integer CHECK (min_attempts >= 1),
    min_calls           integer CHECK (min_calls >= 1),
    webhook_url         text,
    zeebe_message_name  text,
    -- NEW_MODEL_FOR_WORKFLOW reports models first used from this moment on, not the history before the rule
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX alert_rules_kind_idx ON alert_rules (kind);

CREATE TABLE alerts (
    id          uuid PRIMARY KEY,
    rule_id     text NOT NULL REFERENCES alert_rules (id),
    kind        text NOT NULL,
    -- the project the alert is about (null: organisation-wide), which decides who may read it
    project     text,
    subject     text NOT NULL,
    period      text NOT NULL,
    message     text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb,
    fired_at    timestamptz NOT NULL,
    -- a condition that stays true fires once; with several replicas the first insert wins, the others change nothing
    CONSTRAINT alerts_once_per_rule_subject_period UNIQUE (rule_id, subject, period)
);
CREATE INDEX alerts_fired_idx ON alerts (fired_at);

-- The outbox: one row per alert and channel, claimed by a deliverer for a lease (next_attempt_at moves forward), so
-- two replicas never post the same row at once and a crashed deliverer's claim runs out and is retried.
CREATE TABLE alert_deliveries (
    alert_id         uuid NOT NULL REFERENCES alerts (id),
    channel          text NOT NULL CHECK (channel IN ('WEBHOOK', 'ZEEBE')),
    target           text NOT NULL,
    state            text NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz,
    last_error       text,
    delivered_at     timestamptz,
    PRIMARY KEY (alert_id, channel),
    CONSTRAINT alert_deliveries_due_while_pending CHECK ((state = 'PENDING') = (next_attempt_at IS NOT NULL)),
    CONSTRAINT alert_deliveries_delivered_at CHECK ((state = 'DELIVERED') = (delivered_at IS NOT NULL))
);
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (next_attempt_at) WHERE state = 'PENDING';

-- the scheduled rules look back over recent attempts and calls of a project
CREATE INDEX IF NOT EXISTS decisions_project_workflow_idx ON decisions (project, bpmn_process_id);
