package io.aiops.connector;

import io.aiops.connector.pipeline.CandidateCaller;
import io.aiops.connector.pipeline.RegistryCandidateCaller;
import io.aiops.providers.ProviderEndpoint;
import io.aiops.providers.ProviderRegistry;
import io.aiops.providers.ResilienceSettings;
import io.aiops.providers.ResilientProviderCaller;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/** OpenAI-format providers served under {@code <base>/<name>} (one WireMock server plays all of them). */
final class TestProviders {

    private TestProviders() {}

    static CandidateCaller openAiCompatible(URI base, String... names) {
        var endpoints = Arrays.stream(names)
                .map(name ->
                        new ProviderEndpoint(name, "openai", URI.create(base + "/" + name), "sk-" + name, Map.of()))
                .toList();
        // one physical attempt per candidate: failover, not retry, is what these tests observe
        ResilienceSettings noRetry = ResilienceSettings.custom().maxAttempts(1).build();
        return new RegistryCandidateCaller(
                ProviderRegistry.withBuiltInAdapters(endpoints),
                new ResilientProviderCaller(noRetry, Clock.systemUTC()),
                Clock.systemUTC());
    }
}
