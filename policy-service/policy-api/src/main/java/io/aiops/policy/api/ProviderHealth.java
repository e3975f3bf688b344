package io.aiops.policy.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/**
 * The circuit-breaker state of one model at one provider as a worker saw it ({@code POST /api/v1/providers/health}),
 * or as the service sums up the reports of all workers ({@code GET /api/v1/providers/health}).
 *
 * @param reporter the worker that reported (its instance name); in the summary, the one whose report decided the state
 * @param observedAt when the worker's circuit changed state (the worker's clock)
 */
public record ProviderHealth(
        @NotBlank @Name String provider,
        @NotBlank @Name String model,
        @NotNull CircuitState state,
        @NotBlank @Name String reporter,
        @NotNull Instant observedAt) {

    /** The states of a worker's circuit breaker for one (provider, model). */
    public enum CircuitState {
        /** Calls go through. */
        CLOSED,
        /** Recent calls failed too often: the worker sends nothing until the cooldown has passed. */
        OPEN,
        /** The cooldown has passed: a few trial calls decide whether the circuit closes or opens again. */
        HALF_OPEN
    }
}
