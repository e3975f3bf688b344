package io.aiops.connector.pipeline;

import io.aiops.core.TokenUsage;
import io.aiops.providers.AttemptResult;
import io.aiops.providers.CompletionRequest;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderBinding;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderCallResult;
import io.aiops.providers.ProviderRegistry;
import io.aiops.providers.ResilientProviderCaller;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Calls a candidate through the endpoint bound to its name in a {@link ProviderRegistry}, with the retries and circuit
 * breaker of a {@link ResilientProviderCaller}. A provider the host has no endpoint for fails as
 * {@link ErrorClass#NOT_FOUND} (one attempt, no request sent), so the pipeline moves on to the next candidate.
 */
public final class RegistryCandidateCaller implements CandidateCaller {

    private final ProviderRegistry registry;
    private final ResilientProviderCaller caller;
    private final Clock clock;

    public RegistryCandidateCaller(ProviderRegistry registry, ResilientProviderCaller caller, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ProviderCallResult call(String provider, CompletionRequest request) {
        Optional<ProviderBinding> binding = registry.find(provider);
        if (binding.isPresent()) {
            return caller.call(binding.get(), request);
        }
        ProviderCallException unknown = new ProviderCallException(
                ErrorClass.NOT_FOUND,
                0,
                "no endpoint configured for provider '" + provider + "' (configured: " + registry.names() + ")");
        return new ProviderCallResult(
                null,
                unknown,
                List.of(new AttemptResult(
                        provider,
                        request.model(),
                        1,
                        clock.instant(),
                        Duration.ZERO,
                        TokenUsage.NONE,
                        ErrorClass.NOT_FOUND,
                        0,
                        unknown.getMessage())));
    }
}
