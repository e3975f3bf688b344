-- The built-in kinds of personal data a project (or workflow) masks in REDACTED mode: ["EMAIL", "IBAN", ...].
-- NULL masks every kind the service knows, including kinds added by later versions.
ALTER TABLE redaction_settings
    ADD COLUMN kinds jsonb CHECK (kinds IS NULL OR jsonb_typeof(kinds) = 'array');
