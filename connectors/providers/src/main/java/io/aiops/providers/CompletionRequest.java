package io.aiops.providers;

import java.time.Duration;

/**
 * One prompt to one model. {@code jsonSchema} (optional) asks for structured output conforming to it.
 */
public record CompletionRequest(
    String model, String systemPrompt, String userPrompt, int maxOutputTokens, Duration timeout, String jsonSchema) {}
