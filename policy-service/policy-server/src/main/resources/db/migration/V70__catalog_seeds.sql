-- The price sources the service seeded itself: the starter rows of V4 and V23 and, from now on, each shipped
-- genai-prices snapshot applied at startup. A model whose current price comes from one of these sources follows
-- the next shipped snapshot; a price an operator set (PUT, import) is never overwritten by a seed.
CREATE TABLE catalog_seeds (
    source      text PRIMARY KEY,
    applied_at  timestamptz NOT NULL,
    -- models added or changed, unchanged, and kept because an operator had set their price
    updated     integer NOT NULL DEFAULT 0 CHECK (updated >= 0),
    unchanged   integer NOT NULL DEFAULT 0 CHECK (unchanged >= 0),
    kept        integer NOT NULL DEFAULT 0 CHECK (kept >= 0),
    -- the starter rows written by hand: a maintained source that confirms one of their prices still becomes its
    -- source (a new version with the same prices), so no price is left whose source is a hand-written row
    hand_written boolean NOT NULL DEFAULT false
);

INSERT INTO catalog_seeds (source, applied_at, hand_written)
SELECT DISTINCT v.source, min(v.effective_from) OVER (PARTITION BY v.source), true
  FROM model_price_versions v
 WHERE v.source IN ('provider price lists, late 2026 (seed V4)', 'openai.com/api/pricing, 2025-10',
                    'anthropic.com/pricing, 2025-10', 'ai.google.dev/gemini-api/docs/pricing, 2025-10')
ON CONFLICT (source) DO NOTHING;
