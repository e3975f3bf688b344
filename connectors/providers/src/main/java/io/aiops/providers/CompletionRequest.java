package io.aiops.providers;

import java.time.Duration;

/**
 * One prompt to one model. {@code jsonSchema} (optional) asks for structured output conforming to it. {@code timeout}
 * bounds each attempt; {@code callTimeout} (optional) bounds the whole call, retries and waits included, when it is
 * shorter than the model's configured limit (the job's deadline leaves less time).
 */
public record CompletionRequest(
        String model,
        String systemPrompt,
        String userPrompt,
        int maxOutputTokens,
        Duration timeout,
        String jsonSchema,
        Duration callTimeout) {

    /** A request bounded by the model's configured limits alone. */
    public CompletionRequest(
            String model,
            String systemPrompt,
            String userPrompt,
            int maxOutputTokens,
            Duration timeout,
            String jsonSchema) {
        this(model, systemPrompt, userPrompt, maxOutputTokens, timeout, jsonSchema, null);
    }
}
