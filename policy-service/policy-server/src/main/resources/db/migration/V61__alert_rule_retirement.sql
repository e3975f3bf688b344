-- DELETE /api/v1/alert-rules/{id} retires a rule instead of removing its row: alerts it fired keep pointing at it
-- (alerts.rule_id), and the audit trail keeps its history. A retired rule is neither evaluated nor listed; a PUT of
-- its id makes it a new rule again.
ALTER TABLE alert_rules ADD COLUMN retired_at timestamptz;
