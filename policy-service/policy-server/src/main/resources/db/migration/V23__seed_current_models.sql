-- Current major models, USD per token. Source: the providers' public price pages (openai.com/api/pricing,
-- anthropic.com/pricing, ai.google.dev/gemini-api/docs/pricing) as published in 2025-10; the same figures appear in
-- the open LiteLLM price table (model_prices_and_context_window.json). Where a provider publishes no separate cache
-- price here, none is seeded and cache reads cost the input price (an upper bound). Operators refresh prices with
-- PUT /api/v1/models/{provider}/{model} or POST /api/v1/catalog/import; each change becomes a new price version.
-- ON CONFLICT keeps entries an operator already created.

INSERT INTO models (provider, model, input_per_token, output_per_token, cache_read_per_token, cache_write_per_token,
                    reasoning_per_token, deprecation_date, tier_threshold_input_tokens, input_per_token_above_tier,
                    output_per_token_above_tier, price_source) VALUES
    ('openai',    'gpt-5',             0.00000125, 0.00001,    0.000000125, NULL,        NULL, NULL, NULL,   NULL,       NULL,       'openai.com/api/pricing, 2025-10'),
    ('openai',    'gpt-5-mini',        0.00000025, 0.000002,   0.000000025, NULL,        NULL, NULL, NULL,   NULL,       NULL,       'openai.com/api/pricing, 2025-10'),
    ('openai',    'gpt-4.1',           0.000002,   0.000008,   0.0000005,   NULL,        NULL, NULL, NULL,   NULL,       NULL,       'openai.com/api/pricing, 2025-10'),
    ('openai',    'gpt-4.1-mini',      0.0000004,  0.0000016,  0.0000001,   NULL,        NULL, NULL, NULL,   NULL,       NULL,       'openai.com/api/pricing, 2025-10'),
    ('openai',    'o4-mini',           0.0000011,  0.0000044,  0.000000275, NULL,        NULL, NULL, NULL,   NULL,       NULL,       'openai.com/api/pricing, 2025-10'),
    ('anthropic', 'claude-sonnet-4-5', 0.000003,   0.000015,   0.0000003,   0.00000375,  NULL, NULL, 200000, 0.000006,   0.0000225,  'anthropic.com/pricing, 2025-10'),
    ('anthropic', 'claude-opus-4-1',   0.000015,   0.000075,   0.0000015,   0.00001875,  NULL, NULL, NULL,   NULL,       NULL,       'anthropic.com/pricing, 2025-10'),
    ('gemini',    'gemini-2.5-pro',    0.00000125, 0.00001,    0.00000031,  NULL,        NULL, NULL, 200000, 0.0000025,  0.000015,   'ai.google.dev/gemini-api/docs/pricing, 2025-10'),
    ('gemini',    'gemini-2.5-flash',  0.0000003,  0.0000025,  NULL,        NULL,        NULL, NULL, NULL,   NULL,       NULL,       'ai.google.dev/gemini-api/docs/pricing, 2025-10')
ON CONFLICT (provider, model) DO NOTHING;

INSERT INTO model_price_versions (provider, model, version, effective_from, input_per_token, output_per_token,
                                  cache_read_per_token, cache_write_per_token, reasoning_per_token, deprecation_date,
                                  tier_threshold_input_tokens, input_per_token_above_tier, output_per_token_above_tier,
                                  source)
SELECT m.provider, m.model, m.price_version, m.price_effective_from, m.input_per_token, m.output_per_token,
       m.cache_read_per_token, m.cache_write_per_token, m.reasoning_per_token, m.deprecation_date,
       m.tier_threshold_input_tokens, m.input_per_token_above_tier, m.output_per_token_above_tier, m.price_source
  FROM models m
 WHERE NOT EXISTS (SELECT 1 FROM model_price_versions v WHERE v.provider = m.provider AND v.model = m.model);
