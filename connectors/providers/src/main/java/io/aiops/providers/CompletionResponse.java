package io.aiops.providers;

import io.aiops.core.TokenUsage;

/** The model's answer with the usage the provider billed for it. */
public record CompletionResponse(
        String text, String finishReason, TokenUsage usage, String responseModel, String responseId) {}
