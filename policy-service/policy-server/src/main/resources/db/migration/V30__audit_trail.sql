-- The audit trail: one hash chain per project (docs/audit.md describes the canonical form and how to verify it).

-- The end of each project's chain. Appends lock this row (SELECT ... FOR UPDATE), so appends to one project are
-- serialised while other projects proceed in parallel; verification compares the chain's last entry with it, which
-- reveals a truncated tail.
CREATE TABLE audit_chain_heads (
    project     text PRIMARY KEY,
    last_seq    bigint NOT NULL CHECK (last_seq >= 0),
    last_hash   text NOT NULL CONSTRAINT audit_chain_heads_hash_is_sha256 CHECK (last_hash ~ '^[0-9a-f]{64}$'),
    updated_at  timestamptz NOT NULL
);

CREATE TABLE audit_entries (
    id                    uuid PRIMARY KEY,
    project               text NOT NULL,
    seq                   bigint NOT NULL CHECK (seq >= 1),
    kind                  text NOT NULL CHECK (kind IN ('AI_CALL_ATTEMPT', 'POLICY_CHANGE', 'RETENTION_PURGE')),
    occurred_at           timestamptz NOT NULL,
    actor_key_id          uuid,
    actor_name            text,
    process_instance_key  bigint,
    bpmn_process_id       text,
    element_id            text,
    element_instance_key  bigint,
    job_key               bigint,
    decision_id           uuid,
    provider              text,
    model                 text,
    -- canonical JSON of what happened (texts already redacted per the project's mode); NULL once purged
    payload               text,
    payload_sha256        text NOT NULL CHECK (payload_sha256 ~ '^[0-9a-f]{64}$'),
    prev_hash             text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    entry_hash            text NOT NULL CHECK (entry_hash ~ '^[0-9a-f]{64}$'),
    purged_at             timestamptz,
    CONSTRAINT audit_entries_seq_unique UNIQUE (project, seq)
);
CREATE INDEX audit_entries_process_instance_idx ON audit_entries (process_instance_key);
CREATE INDEX audit_entries_time_idx ON audit_entries (project, occurred_at);

-- Audit rows are append-only. The one exception is the retention purge, which only runs inside
-- audit_purge_payloads(): it sets a transaction-local flag the guard recognises, and may only blank the payload and
-- stamp purged_at (a tombstone: the payload hash stays, so the chain still verifies). A role that can change the
-- flag or disable the trigger can still tamper, which is what the hash chain then reveals.
CREATE FUNCTION audit_entries_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('aiops.audit_purge', true) = 'on'
       AND OLD.payload IS NOT NULL AND NEW.payload IS NULL AND NEW.purged_at IS NOT NULL
       AND (to_jsonb(NEW) - 'payload' - 'purged_at') = (to_jsonb(OLD) - 'payload' - 'purged_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_entries_append_only
    BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_guard();

CREATE FUNCTION audit_entries_refuse_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_entries_no_truncate
    BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_refuse_truncate();

-- Removes the payloads of a project's entries up to through_seq that occurred before the cutoff, except purge
-- records themselves (they explain the tombstones). Returns how many payloads it removed.
CREATE FUNCTION audit_purge_payloads(p_project text, p_cutoff timestamptz, p_through_seq bigint, p_now timestamptz)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    purged integer;
BEGIN
    PERFORM set_config('aiops.audit_purge', 'on', true);
    UPDATE audit_entries
       SET payload = NULL, purged_at = p_now
     WHERE project = p_project
       AND seq <= p_through_seq
       AND occurred_at < p_cutoff
       AND payload IS NOT NULL
       AND kind <> 'RETENTION_PURGE';
    GET DIAGNOSTICS purged = ROW_COUNT;
    PERFORM set_config('aiops.audit_purge', 'off', true);
    RETURN purged;
END;
$$;
