-- Starter catalog. Prices in USD per token from the providers' public price lists (late 2026), as collected in the
-- project's reference "Provider wire formats", section "Prices". Operators change them with PUT /api/v1/models.
-- ON CONFLICT keeps entries an operator already created.

INSERT INTO providers (name, kind, base_url, secret_ref) VALUES
    ('openai',    'OPENAI',    'https://api.openai.com',                    'OPENAI_API_KEY'),
    ('anthropic', 'ANTHROPIC', 'https://api.anthropic.com',                 'ANTHROPIC_API_KEY'),
    ('gemini',    'GEMINI',    'https://generativelanguage.googleapis.com', 'GEMINI_API_KEY')
ON CONFLICT (name) DO NOTHING;

INSERT INTO models (provider, model, input_per_token, output_per_token, cache_read_per_token, cache_write_per_token,
                    reasoning_per_token, deprecation_date) VALUES
    ('openai',    'gpt-4o',                   0.0000025,  0.00001,   0.00000125, NULL,        NULL, NULL),
    ('openai',    'gpt-4o-mini',              0.00000015, 0.0000006, 0.000000075, NULL,       NULL, NULL),
    -- retirement announced for 2026 without a date yet; above 200k input tokens the price doubles (not modelled)
    ('anthropic', 'claude-sonnet-4-20250514', 0.000003,   0.000015,  0.0000003,  0.00000375,  NULL, NULL),
    ('anthropic', 'claude-haiku-4-5',         0.000001,   0.000005,  0.0000001,  0.00000125,  NULL, NULL),
    ('anthropic', 'claude-3-opus-20240229',   0.000015,   0.000075,  0.0000015,  NULL,        NULL, DATE '2026-01-05'),
    ('gemini',    'gemini-2.0-flash',         0.0000001,  0.0000004, 0.000000025, NULL,       NULL, DATE '2026-06-01')
ON CONFLICT (provider, model) DO NOTHING;
