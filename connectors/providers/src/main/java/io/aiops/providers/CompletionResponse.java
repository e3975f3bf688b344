package io.aiops.providers;

/** The model's answer with the usage the provider billed for it. */
public record CompletionResponse(
        String text, String finishReason, TokenUsage usage, String responseModel, String responseId) {}
