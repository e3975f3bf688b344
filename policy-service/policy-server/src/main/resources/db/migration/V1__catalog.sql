-- Catalog: the model providers the workers may call and the price of every model, per token class.

CREATE TABLE providers (
    name        text PRIMARY KEY,
    -- wire format the adapters speak; any server that speaks the OpenAI format is OPENAI_COMPATIBLE
    kind        text NOT NULL CHECK (kind IN ('OPENAI', 'ANTHROPIC', 'GEMINI', 'AZURE_OPENAI', 'OPENAI_COMPATIBLE')),
    base_url    text,
    -- the name of the secret that holds the credential (resolved by the worker), never the credential itself
    secret_ref  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- USD per token; numeric keeps prices and costs exact (tokens * price needs no rounding at scale 12)
CREATE TABLE models (
    provider               text NOT NULL REFERENCES providers (name),
    model                  text NOT NULL,
    input_per_token        numeric(20, 12) NOT NULL CONSTRAINT models_input_price_non_negative CHECK (input_per_token >= 0),
    output_per_token       numeric(20, 12) NOT NULL CONSTRAINT models_output_price_non_negative CHECK (output_per_token >= 0),
    -- NULL: cache reads / cache writes cost the input price, reasoning costs the output price
    cache_read_per_token   numeric(20, 12) CONSTRAINT models_cache_read_price_non_negative CHECK (cache_read_per_token >= 0),
    cache_write_per_token  numeric(20, 12) CONSTRAINT models_cache_write_price_non_negative CHECK (cache_write_per_token >= 0),
    reasoning_per_token    numeric(20, 12) CONSTRAINT models_reasoning_price_non_negative CHECK (reasoning_per_token >= 0),
    -- from this date on the model is no longer routed to
    deprecation_date       date,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, model)
);
