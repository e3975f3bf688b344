-- Feedback on a recorded call (a person's or a later workflow step's verdict), once per idempotency key: a feedback
-- task whose job is delivered twice records its verdict once.
CREATE TABLE call_feedback (
    id               uuid PRIMARY KEY,
    call_id          uuid NOT NULL REFERENCES calls (id),
    idempotency_key  text,
    recorded_by_key  uuid,
    recorded_by      text,
    created_at       timestamptz NOT NULL,
    CONSTRAINT call_feedback_once_per_key UNIQUE (call_id, idempotency_key)
);

-- Quality scores of AI calls: the worker's rule checks of every answer (per attempt), and later a judge's, a
-- person's or a downstream step's verdict on the call. Part of the ledger: never updated, kept as long as the call.
CREATE TABLE call_scores (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id          uuid NOT NULL REFERENCES calls (id),
    -- the scored answer's attempt (1-based); null when the score is about the call as a whole
    attempt_no       integer CHECK (attempt_no >= 1),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
    score_type       text NOT NULL CHECK (score_type IN ('NUMERIC', 'BOOLEAN', 'CATEGORICAL')),
    -- 0..1, higher is better; a boolean is 1 (pass) or 0 (fail); a category has a label and no value
    value            numeric(7, 6) CHECK (value BETWEEN 0 AND 1),
    label            text,
    source           text NOT NULL CHECK (source IN ('RULE', 'JUDGE', 'HUMAN', 'DOWNSTREAM')),
    explanation      text,
    scorer_version   text,
    -- the feedback it came with; null for scores recorded with the call's outcome
    feedback_id      uuid REFERENCES call_feedback (id),
    -- the API key that recorded it (the worker's for rule scores)
    recorded_by_key  uuid,
    recorded_by      text,
    created_at       timestamptz NOT NULL,
    CONSTRAINT call_scores_value_fits_type CHECK (
        (score_type = 'NUMERIC' AND value IS NOT NULL AND label IS NULL)
        OR (score_type = 'BOOLEAN' AND value IN (0, 1) AND label IS NULL)
        OR (score_type = 'CATEGORICAL' AND value IS NULL AND label IS NOT NULL))
);
CREATE INDEX call_scores_call_idx ON call_scores (call_id);
CREATE INDEX call_scores_created_idx ON call_scores (created_at);

-- Feedback is audited as an entry of its own
ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_kind_check;
ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_kind_check
    CHECK (kind IN ('AI_CALL_ATTEMPT', 'POLICY_CHANGE', 'RETENTION_PURGE', 'SECRET_READ', 'CALL_FEEDBACK'));
