-- Long-context price tiers and price versions. A price change adds a version in force from the moment it was made;
-- calls are priced with the version in force when they were decided, so a change never rewrites history.
ALTER TABLE models
    ADD COLUMN tier_threshold_input_tokens bigint CONSTRAINT models_tier_threshold_positive CHECK (tier_threshold_input_tokens > 0),
    ADD COLUMN input_per_token_above_tier  numeric(20, 12) CONSTRAINT models_input_above_tier_non_negative CHECK (input_per_token_above_tier >= 0),
    ADD COLUMN output_per_token_above_tier numeric(20, 12) CONSTRAINT models_output_above_tier_non_negative CHECK (output_per_token_above_tier >= 0),
    -- where the price comes from (a price page and its date, an import), shown with the entry
    ADD COLUMN price_source text,
    ADD COLUMN price_version integer NOT NULL DEFAULT 1,
    ADD COLUMN price_effective_from timestamptz NOT NULL DEFAULT timestamptz '2000-01-01 00:00:00+00',
    ADD CONSTRAINT models_tier_prices_need_threshold CHECK (
        tier_threshold_input_tokens IS NOT NULL
        OR (input_per_token_above_tier IS NULL AND output_per_token_above_tier IS NULL));

-- The seeded Claude Sonnet 4 doubles its input price above 200k input tokens (and output goes to 2.25e-05)
UPDATE models
   SET tier_threshold_input_tokens = 200000,
       input_per_token_above_tier = 0.000006,
       output_per_token_above_tier = 0.0000225
 WHERE provider = 'anthropic' AND model = 'claude-sonnet-4-20250514' AND tier_threshold_input_tokens IS NULL;
UPDATE models SET price_source = 'provider price lists, late 2026 (seed V4)' WHERE price_source IS NULL;

-- models holds the version in force now; this table holds every version, the current one included
CREATE TABLE model_price_versions (
    provider                    text NOT NULL,
    model                       text NOT NULL,
    version                     integer NOT NULL CHECK (version >= 1),
    effective_from              timestamptz NOT NULL,
    input_per_token             numeric(20, 12) NOT NULL CHECK (input_per_token >= 0),
    output_per_token            numeric(20, 12) NOT NULL CHECK (output_per_token >= 0),
    cache_read_per_token        numeric(20, 12) CHECK (cache_read_per_token >= 0),
    cache_write_per_token       numeric(20, 12) CHECK (cache_write_per_token >= 0),
    reasoning_per_token         numeric(20, 12) CHECK (reasoning_per_token >= 0),
    deprecation_date            date,
    tier_threshold_input_tokens bigint CHECK (tier_threshold_input_tokens > 0),
    input_per_token_above_tier  numeric(20, 12) CHECK (input_per_token_above_tier >= 0),
    output_per_token_above_tier numeric(20, 12) CHECK (output_per_token_above_tier >= 0),
    source                      text,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, model, version),
    FOREIGN KEY (provider, model) REFERENCES models (provider, model) ON DELETE CASCADE
);
CREATE INDEX model_price_versions_in_force_idx ON model_price_versions (provider, model, effective_from DESC, version DESC);

INSERT INTO model_price_versions (provider, model, version, effective_from, input_per_token, output_per_token,
                                  cache_read_per_token, cache_write_per_token, reasoning_per_token, deprecation_date,
                                  tier_threshold_input_tokens, input_per_token_above_tier, output_per_token_above_tier,
                                  source)
SELECT provider, model, price_version, price_effective_from, input_per_token, output_per_token, cache_read_per_token,
       cache_write_per_token, reasoning_per_token, deprecation_date, tier_threshold_input_tokens,
       input_per_token_above_tier, output_per_token_above_tier, price_source
  FROM models;
