-- Runs after every migration, as the migration role. When the service serves requests as a role of its own
-- (aiops.db.migration-user set; always with the embedded PostgreSQL), that role is created if missing and given only
-- what serving needs: reading and writing the tables, but of audit_entries only SELECT and INSERT (no UPDATE,
-- DELETE or TRUNCATE; the retention purge runs inside audit_purge_payloads, which runs as the owner), nothing of
-- Flyway's history, and no ownership: it cannot alter tables, switch triggers off or set session_replication_role.
-- Run again on every start, so tables added by later migrations are granted too.
DO $$
DECLARE
    runtime  text := nullif(current_setting('aiops.runtime_role', true), '');
    password text := nullif(current_setting('aiops.runtime_password', true), '');
BEGIN
    IF runtime IS NULL OR runtime = current_user THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = runtime) THEN
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', runtime, password);
    END IF;
    -- a runtime role with more rights than granted here would make the setup a pretence: refuse to start
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = runtime AND (rolsuper OR rolbypassrls OR rolcreaterole)) THEN
        RAISE EXCEPTION 'the runtime role % is a superuser or may bypass row security or create roles: use a plain'
            ' role for aiops.db.user', runtime;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                WHERE r.rolname = runtime AND c.relnamespace = current_schema()::regnamespace) THEN
        RAISE EXCEPTION 'the runtime role % owns objects in schema %: make the migration role their owner'
            ' (ALTER TABLE ... OWNER TO ...) before serving as %', runtime, current_schema(), runtime;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), runtime);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), runtime);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_entries FROM %I', runtime);
    EXECUTE format('REVOKE ALL ON flyway_schema_history FROM %I', runtime);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), runtime);
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit_purge_payloads(text, timestamptz, bigint, timestamptz) TO %I',
        runtime);
END
$$;
