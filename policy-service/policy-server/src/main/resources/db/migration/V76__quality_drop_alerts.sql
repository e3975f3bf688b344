-- QUALITY_DROP alert rules (a boolean score's pass rate significantly below its baseline; score_name narrows the rule
-- to one score) and PROMPT_COST_JUMP (input tokens per call up after a prompt version change).
ALTER TABLE alert_rules DROP CONSTRAINT alert_rules_kind_check;
ALTER TABLE alert_rules ADD CONSTRAINT alert_rules_kind_check
    CHECK (kind IN ('BUDGET_THRESHOLD', 'DAILY_SPEND_ABOVE', 'ERROR_RATE_ABOVE', 'NEW_MODEL_FOR_WORKFLOW',
                    'MODEL_SHARE_JUMP', 'AUDIT_CHAIN_BROKEN', 'PRICE_CHANGED', 'QUALITY_DROP', 'PROMPT_COST_JUMP'));
ALTER TABLE alert_rules ADD COLUMN score_name text;
