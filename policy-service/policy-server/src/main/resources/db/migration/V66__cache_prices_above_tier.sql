-- Above the long-context tier some providers bill cache reads and cache writes at their own higher prices too
-- (Gemini 2.5 Pro: cache reads $0.125 -> $0.25 per million above 200k input tokens; Claude Sonnet 4.x alike).
ALTER TABLE models
    ADD COLUMN cache_read_per_token_above_tier numeric(20, 12)
        CONSTRAINT models_cache_read_above_tier_non_negative CHECK (cache_read_per_token_above_tier >= 0),
    ADD COLUMN cache_write_per_token_above_tier numeric(20, 12)
        CONSTRAINT models_cache_write_above_tier_non_negative CHECK (cache_write_per_token_above_tier >= 0);
ALTER TABLE model_price_versions
    ADD COLUMN cache_read_per_token_above_tier numeric(20, 12) CHECK (cache_read_per_token_above_tier >= 0),
    ADD COLUMN cache_write_per_token_above_tier numeric(20, 12) CHECK (cache_write_per_token_above_tier >= 0);
