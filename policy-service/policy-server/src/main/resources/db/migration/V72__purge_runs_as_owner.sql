-- The runtime role has no UPDATE on audit_entries: the retention purge runs with the rights of the function's owner
-- (the migration role), and the function still blanks only what its rules allow (see V30). Only the roles granted
-- EXECUTE may call it (the runtime role, by afterMigrate), not every role that can connect.
ALTER FUNCTION audit_purge_payloads(text, timestamptz, bigint, timestamptz) SECURITY DEFINER SET search_path FROM CURRENT;
REVOKE EXECUTE ON FUNCTION audit_purge_payloads(text, timestamptz, bigint, timestamptz) FROM PUBLIC;
