package io.aiops.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.providers.internal.AnthropicMessagesAdapter;
import io.aiops.providers.internal.GeminiGenerateContentAdapter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

    private static ProviderEndpoint endpoint(String name, String format) {
        return new ProviderEndpoint(name, format, URI.create("http://localhost:1/v1"), "sk-x", Map.of());
    }

    @Test
    void bindsEachEndpointToTheAdapterOfItsFormat() {
        ProviderRegistry registry = ProviderRegistry.withBuiltInAdapters(List.of(
                endpoint("openai", "openai"),
                endpoint("azure-eu", "azure-openai"),
                endpoint("claude", "anthropic"),
                endpoint("google", "gemini")));
        assertThat(registry.names()).containsExactlyInAnyOrder("openai", "azure-eu", "claude", "google");
        assertThat(registry.require("azure-eu").adapter().format()).isEqualTo("azure-openai");
        assertThat(registry.require("claude").adapter()).isInstanceOf(AnthropicMessagesAdapter.class);
        assertThat(registry.require("google").adapter()).isInstanceOf(GeminiGenerateContentAdapter.class);
        assertThat(registry.require("openai").endpoint().name()).isEqualTo("openai");
        assertThat(registry.find("anthropic")).isEmpty();
        assertThatThrownBy(() -> registry.require("anthropic")).hasMessageContaining("anthropic");
    }

    @Test
    void rejectsUnknownFormatsAndDuplicateNames() {
        assertThatThrownBy(() -> ProviderRegistry.withBuiltInAdapters(List.of(endpoint("titan", "bedrock"))))
                .hasMessageContaining("bedrock");
        assertThatThrownBy(() -> ProviderRegistry.withBuiltInAdapters(
                        List.of(endpoint("openai", "openai"), endpoint("openai", "openai"))))
                .hasMessageContaining("twice");
    }

    @Test
    void endpointNeverPrintsItsKey() {
        assertThat(endpoint("openai", "openai").toString()).doesNotContain("sk-x");
    }
}
