-- The runtime role has no UPDATE on audit_entries: the retention purge runs with the rights of the function's owner
-- (the migration role), and the function still blanks only what its rules allow (see V30).
ALTER FUNCTION audit_purge_payloads(text, timestamptz, bigint, timestamptz) SECURITY DEFINER SET search_path FROM CURRENT;
