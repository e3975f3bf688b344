package io.aiops.providers;

import io.aiops.providers.internal.AnthropicMessagesAdapter;
import io.aiops.providers.internal.GeminiGenerateContentAdapter;
import io.aiops.providers.internal.OpenAiChatAdapter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The providers a worker can call, by name: each configured endpoint bound to the adapter for its format. */
public final class ProviderRegistry {

    private final Map<String, ProviderBinding> bindings;

    /**
     * Binds every endpoint to the adapter of its format.
     *
     * @throws IllegalArgumentException when two endpoints share a name or an endpoint's format has no adapter
     */
    public ProviderRegistry(Collection<ProviderEndpoint> endpoints, Collection<? extends ProviderAdapter> adapters) {
        Map<String, ProviderAdapter> byFormat = new LinkedHashMap<>();
        for (ProviderAdapter adapter : adapters) {
            if (byFormat.putIfAbsent(adapter.format(), adapter) != null) {
                throw new IllegalArgumentException("two adapters for format " + adapter.format());
            }
        }
        Map<String, ProviderBinding> bound = new LinkedHashMap<>();
        for (ProviderEndpoint endpoint : endpoints) {
            ProviderAdapter adapter = byFormat.get(endpoint.format());
            if (adapter == null) {
                throw new IllegalArgumentException("provider " + endpoint.name() + " uses format '" + endpoint.format()
                        + "' but only " + byFormat.keySet() + " are supported");
            }
            if (bound.putIfAbsent(endpoint.name(), new ProviderBinding(endpoint, adapter)) != null) {
                throw new IllegalArgumentException("provider name " + endpoint.name() + " is configured twice");
            }
        }
        this.bindings = Map.copyOf(bound);
    }

    /**
     * A registry using the adapters this module ships ({@code openai}, {@code azure-openai}, {@code anthropic},
     * {@code gemini}).
     */
    public static ProviderRegistry withBuiltInAdapters(Collection<ProviderEndpoint> endpoints) {
        return new ProviderRegistry(endpoints, builtInAdapters());
    }

    /** The adapters this module ships, on the shared HTTP client. */
    public static List<ProviderAdapter> builtInAdapters() {
        return List.of(
                OpenAiChatAdapter.openAi(),
                OpenAiChatAdapter.azure(),
                AnthropicMessagesAdapter.anthropic(),
                GeminiGenerateContentAdapter.gemini());
    }

    /** The provider of that name, if configured. */
    public Optional<ProviderBinding> find(String name) {
        return Optional.ofNullable(bindings.get(name));
    }

    /**
     * The provider of that name.
     *
     * @throws IllegalArgumentException when no such provider is configured
     */
    public ProviderBinding require(String name) {
        return find(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no provider named '" + name + "' is configured; known: " + names()));
    }

    /** Names of all configured providers. */
    public Set<String> names() {
        return bindings.keySet();
    }
}
