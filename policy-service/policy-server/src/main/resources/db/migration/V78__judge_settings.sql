-- LLM-as-judge per project, and per workflow ('' for the project as a whole)
CREATE TABLE judge_settings (
    project            text NOT NULL,
    bpmn_process_id    text NOT NULL DEFAULT '',
    sample_rate        numeric(5, 4) NOT NULL CHECK (sample_rate BETWEEN 0 AND 1),
    provider           text NOT NULL,
    model              text NOT NULL,
    rubric             text NOT NULL,
    criteria           text NOT NULL,
    score_name         text NOT NULL,
    max_output_tokens  integer NOT NULL CHECK (max_output_tokens > 0),
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (project, bpmn_process_id)
);
