-- Price classes providers bill apart: Anthropic's 1-hour cache writes (2x the input price, against 1.25x for
-- 5-minute writes) and OpenAI's service tiers (flex, priority), which are billed at their own prices.
ALTER TABLE models
    ADD COLUMN cache_write_1h_per_token numeric(20, 12)
        CONSTRAINT models_cache_write_1h_non_negative CHECK (cache_write_1h_per_token >= 0),
    -- {"flex": {"inputPerToken": ..., "outputPerToken": ..., "cacheReadPerToken": ...}, "priority": {...}}
    ADD COLUMN service_tiers jsonb NOT NULL DEFAULT '{}'::jsonb
        CONSTRAINT models_service_tiers_object CHECK (jsonb_typeof(service_tiers) = 'object');
ALTER TABLE model_price_versions
    ADD COLUMN cache_write_1h_per_token numeric(20, 12) CHECK (cache_write_1h_per_token >= 0),
    ADD COLUMN service_tiers jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(service_tiers) = 'object');

ALTER TABLE call_attempts
    ADD COLUMN cache_write_1h_input_tokens bigint NOT NULL DEFAULT 0
        CONSTRAINT call_attempts_cache_write_1h_within_writes
            CHECK (cache_write_1h_input_tokens >= 0 AND cache_write_1h_input_tokens <= cache_write_input_tokens),
    -- the tier the provider reported billing the attempt at; NULL: the default tier
    ADD COLUMN service_tier text;

-- Seeded Anthropic models: a 1-hour cache write costs twice the base input price (anthropic.com/pricing, "Prompt
-- caching": 5-minute writes 1.25x, 1-hour writes 2x, reads 0.1x). Written into the version in force, whose 1-hour
-- price was simply missing (it fell back to the 5-minute price).
UPDATE models SET cache_write_1h_per_token = 2 * input_per_token
 WHERE provider = 'anthropic' AND cache_write_1h_per_token IS NULL;
UPDATE model_price_versions v SET cache_write_1h_per_token = 2 * v.input_per_token
  FROM models m
 WHERE v.provider = m.provider AND v.model = m.model AND v.version = m.price_version
   AND v.provider = 'anthropic' AND v.cache_write_1h_per_token IS NULL;

-- Seeded OpenAI models with Flex processing: half the standard prices, the Batch API's (openai.com/api/pricing,
-- "Flex"). Priority prices differ per model and are left for operators to set or import.
UPDATE models
   SET service_tiers = jsonb_build_object('flex', jsonb_build_object(
           'inputPerToken', input_per_token / 2, 'outputPerToken', output_per_token / 2,
           'cacheReadPerToken', cache_read_per_token / 2))
 WHERE provider = 'openai' AND model IN ('gpt-5', 'gpt-5-mini', 'o4-mini') AND service_tiers = '{}'::jsonb;
UPDATE model_price_versions v SET service_tiers = m.service_tiers
  FROM models m
 WHERE v.provider = m.provider AND v.model = m.model AND v.version = m.price_version
   AND m.service_tiers <> '{}'::jsonb AND v.service_tiers = '{}'::jsonb;
