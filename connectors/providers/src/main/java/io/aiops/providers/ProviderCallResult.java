package io.aiops.providers;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of calling one model with retries: the answer or the final failure, and every physical attempt made
 * (empty when the circuit breaker refused the call before any request was sent).
 */
public record ProviderCallResult(
        CompletionResponse response, ProviderCallException failure, List<AttemptResult> attempts) {

    public ProviderCallResult {
        attempts = List.copyOf(attempts);
        if ((response == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of response and failure must be set");
        }
    }

    /** True when the model answered. */
    public boolean succeeded() {
        return response != null;
    }

    /** The answer, or the final failure thrown. */
    public CompletionResponse responseOrThrow() {
        if (failure != null) {
            throw failure;
        }
        return Objects.requireNonNull(response);
    }
}
