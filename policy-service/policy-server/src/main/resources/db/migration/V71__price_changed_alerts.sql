-- PRICE_CHANGED alert rules: fired when a catalog price of a model a project used in the last 7 days changes.
ALTER TABLE alert_rules DROP CONSTRAINT alert_rules_kind_check;
ALTER TABLE alert_rules ADD CONSTRAINT alert_rules_kind_check
    CHECK (kind IN ('BUDGET_THRESHOLD', 'DAILY_SPEND_ABOVE', 'ERROR_RATE_ABOVE', 'NEW_MODEL_FOR_WORKFLOW',
                    'MODEL_SHARE_JUMP', 'AUDIT_CHAIN_BROKEN', 'PRICE_CHANGED'));
