-- A project's alert-signing key is rotated by moving to the next generation (the key itself is derived from the
-- service's signing secret, never stored). No row: generation 0. '' is the key of organisation-wide alerts.
CREATE TABLE alert_signing_generations (
    project     text PRIMARY KEY,
    generation  integer NOT NULL CHECK (generation >= 0),
    rotated_at  timestamptz NOT NULL
);
