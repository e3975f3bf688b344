-- Budgets over a process definition version and over a model, with alert thresholds; one budget per scope, period
-- and mode, so two budgets can never disagree about the same thing.
ALTER TABLE budgets
    ADD COLUMN scope_process_definition_key bigint,
    ADD COLUMN scope_provider text,
    ADD COLUMN scope_model text,
    -- percentages of the limit whose crossing is reported, ascending
    ADD COLUMN alert_thresholds integer[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT budgets_provider_only_with_model CHECK (scope_provider IS NULL OR scope_model IS NOT NULL);

CREATE UNIQUE INDEX budgets_one_per_scope_period_mode ON budgets (
    coalesce(scope_project, ''), coalesce(scope_bpmn_process_id, ''), coalesce(scope_process_definition_key, -1),
    coalesce(scope_provider, ''), coalesce(scope_model, ''), period, mode);

-- A hold in a model budget counts only the attempts on that model when the call settles
ALTER TABLE reservation_holds
    ADD COLUMN model_provider text,
    ADD COLUMN model_name text;
