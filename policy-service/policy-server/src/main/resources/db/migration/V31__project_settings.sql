-- Per-project data protection settings and API key rotation.

-- How request/response text is kept: FULL, REDACTED or HASH_ONLY. bpmn_process_id '' is the project default; a row
-- with a process id overrides it for that workflow.
CREATE TABLE redaction_settings (
    project          text NOT NULL,
    bpmn_process_id  text NOT NULL DEFAULT '',
    mode             text NOT NULL CHECK (mode IN ('FULL', 'REDACTED', 'HASH_ONLY')),
    -- extra regular expressions masked in REDACTED mode: ["ORD-[0-9]{6}", ...]
    custom_patterns  jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(custom_patterns) = 'array'),
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (project, bpmn_process_id)
);

CREATE TABLE retention_settings (
    project         text PRIMARY KEY,
    retention_days  integer NOT NULL CHECK (retention_days >= 1),
    updated_at      timestamptz NOT NULL
);

-- A rotated key keeps working until this moment, so callers can switch to the new key without downtime.
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
ALTER TABLE api_keys ADD COLUMN replaced_by uuid REFERENCES api_keys (id);

-- calls are tied to a project through their decision; purging text by project and time needs both
CREATE INDEX decisions_project_created_idx ON decisions (project, created_at);

-- Secrets the service generates for itself once (first instance wins), e.g. the key the redaction masks derive from.
CREATE TABLE service_secrets (
    name        text PRIMARY KEY,
    value       bytea NOT NULL,
    created_at  timestamptz NOT NULL
);
