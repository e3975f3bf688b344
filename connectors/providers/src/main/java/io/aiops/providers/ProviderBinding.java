package io.aiops.providers;

import java.util.Objects;

/** A configured endpoint together with the adapter that speaks its format. */
public record ProviderBinding(ProviderEndpoint endpoint, ProviderAdapter adapter) {

    public ProviderBinding {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(adapter, "adapter");
        if (!adapter.format().equals(endpoint.format())) {
            throw new IllegalArgumentException(
                    "adapter for " + adapter.format() + " cannot serve endpoint " + endpoint);
        }
    }

    /** The endpoint's name, as the policy service knows the provider. */
    public String name() {
        return endpoint.name();
    }

    /** One call through the adapter, without resilience. */
    public CompletionResponse complete(CompletionRequest request) {
        return adapter.complete(endpoint, request);
    }
}
