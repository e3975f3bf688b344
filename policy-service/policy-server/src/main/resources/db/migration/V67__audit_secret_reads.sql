-- Reading a secret (a project's alert-signing key) is recorded in the project's chain: who read it, and when.
ALTER TABLE audit_entries DROP CONSTRAINT audit_entries_kind_check;
ALTER TABLE audit_entries ADD CONSTRAINT audit_entries_kind_check
    CHECK (kind IN ('AI_CALL_ATTEMPT', 'POLICY_CHANGE', 'RETENTION_PURGE', 'SECRET_READ'));
