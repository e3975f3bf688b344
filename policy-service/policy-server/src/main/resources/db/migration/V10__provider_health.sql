-- Circuit-breaker states workers report per provider model; decisions move models with an open circuit to the end
-- of the failover chain. One row per worker and model: its latest report.

CREATE TABLE provider_health (
    provider     text NOT NULL,
    model        text NOT NULL,
    reporter     text NOT NULL,
    state        text NOT NULL CHECK (state IN ('CLOSED', 'OPEN', 'HALF_OPEN')),
    observed_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (provider, model, reporter)
);
