package io.aiops.providers;

import java.net.URI;
import java.util.Map;

/**
 * Where and how to reach one configured provider: its name (as the policy service knows it), the wire format, the
 * base URL and the credential. {@code toString} never shows the key.
 */
public record ProviderEndpoint(String name, String format, URI baseUrl, String apiKey, Map<String, String> options) {

    public ProviderEndpoint {
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    @Override
    public String toString() {
        return "ProviderEndpoint[name=" + name + ", format=" + format + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null || apiKey.isEmpty() ? "<none>" : "****") + "]";
    }
}
