package io.aiops.providers;

import io.aiops.core.TokenUsage;
import java.time.Duration;
import java.time.Instant;

/**
 * One physical request to a provider, as the call ledger records it: which endpoint and model, when, how long, and
 * either the billed usage or the failure class (usage is {@link TokenUsage#NONE} for failures).
 */
public record AttemptResult(
        String provider,
        String model,
        int attemptNumber,
        Instant startedAt,
        Duration latency,
        TokenUsage usage,
        ErrorClass errorClass,
        int httpStatus,
        String errorMessage) {

    /** True when the provider answered. */
    public boolean succeeded() {
        return errorClass == null;
    }

    static AttemptResult success(
            String provider, String model, int attempt, Instant startedAt, Duration latency, TokenUsage usage) {
        return new AttemptResult(provider, model, attempt, startedAt, latency, usage, null, 200, null);
    }

    static AttemptResult failure(
            String provider, String model, int attempt, Instant startedAt, Duration latency, ProviderCallException e) {
        return new AttemptResult(
                provider,
                model,
                attempt,
                startedAt,
                latency,
                TokenUsage.NONE,
                e.errorClass(),
                e.httpStatus(),
                e.getMessage());
    }
}
