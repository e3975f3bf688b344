-- What workers do when they cannot reach the policy service, per project (no row: RETRY).
CREATE TABLE policy_unavailable_settings (
    project     text PRIMARY KEY,
    mode        text NOT NULL CHECK (mode IN ('RETRY', 'FAIL_OPEN_CAPPED')),
    updated_at  timestamptz NOT NULL
);

-- A decision a worker took on its own while the policy service was unavailable (FAIL_OPEN_CAPPED), recorded with its
-- call afterwards. Its reservation held nothing: the call's cost is posted to the budgets that cover it, above a HARD
-- cap if need be, because the money is spent.
ALTER TABLE decisions ADD COLUMN unapproved boolean NOT NULL DEFAULT false;
