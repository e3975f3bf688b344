-- The W3C trace id of the worker's span for a call, so a ledger row leads to its trace in a tracing backend. Null for
-- calls recorded before this column and for workers that do not trace.
ALTER TABLE calls
    ADD COLUMN trace_id text CHECK (trace_id ~ '^[0-9a-f]{32}$' AND trace_id <> repeat('0', 32));
