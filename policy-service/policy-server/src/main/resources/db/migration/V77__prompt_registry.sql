-- The prompt registry: every version of a prompt is immutable; labels (production, staging, ...) point at versions
-- and move. Calls record the prompt version their request was built from, so cost and quality are reported per
-- prompt version.
CREATE TABLE prompt_versions (
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
    version        integer NOT NULL CHECK (version >= 1),
    -- null: a prompt of every project
    project        text,
    system_prompt  text,
    template       text NOT NULL,
    created_at     timestamptz NOT NULL,
    created_by     text,
    PRIMARY KEY (name, version)
);

CREATE TABLE prompt_labels (
    name        text NOT NULL,
    label       text NOT NULL CHECK (length(label) BETWEEN 1 AND 256),
    version     integer NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (name, label),
    FOREIGN KEY (name, version) REFERENCES prompt_versions (name, version)
);

-- a version is written once: the registry's promise that name@version always means the same text
CREATE FUNCTION prompt_versions_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'prompt versions are immutable: % of %', TG_OP, OLD.name USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER prompt_versions_no_change
    BEFORE UPDATE OR DELETE ON prompt_versions
    FOR EACH ROW EXECUTE FUNCTION prompt_versions_immutable();

ALTER TABLE calls ADD COLUMN prompt_name text;
ALTER TABLE calls ADD COLUMN prompt_version integer;
ALTER TABLE calls ADD CONSTRAINT calls_prompt_version FOREIGN KEY (prompt_name, prompt_version)
    REFERENCES prompt_versions (name, version);
