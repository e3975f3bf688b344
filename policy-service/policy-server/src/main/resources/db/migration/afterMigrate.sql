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
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), runtime);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), runtime);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_entries FROM %I', runtime);
    EXECUTE format('REVOKE ALL ON flyway_schema_history FROM %I', runtime);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), runtime);
END
$$;
