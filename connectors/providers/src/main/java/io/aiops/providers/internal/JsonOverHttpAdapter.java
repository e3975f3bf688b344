package io.aiops.providers.internal;

import io.aiops.providers.CompletionRequest;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ProviderAdapter;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderEndpoint;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The exchange every JSON-over-HTTP adapter shares: send the request its format builds, read a 2xx body as the answer,
 * classify any other status. Subclasses supply the three format-specific steps.
 */
abstract class JsonOverHttpAdapter implements ProviderAdapter {

    /** Endpoint options starting with this prefix are sent as headers ({@code header.OpenAI-Project}). */
    static final String OPTION_HEADER_PREFIX = "header.";

    private final HttpClient client;
    private final Clock clock;

    JsonOverHttpAdapter(HttpClient client, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public final CompletionResponse complete(ProviderEndpoint endpoint, CompletionRequest request) {
        HttpResponse<String> response =
                ProviderHttp.send(client, buildRequest(endpoint, request), endpoint, request.timeout());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return parse(response.body());
        }
        throw classify(status, response.headers(), response.body(), clock);
    }

    /** The HTTP request for one completion in this format. */
    abstract HttpRequest buildRequest(ProviderEndpoint endpoint, CompletionRequest request);

    /** The answer in a 2xx body, or a {@link ErrorClass#MALFORMED_RESPONSE} failure. */
    abstract CompletionResponse parse(String body);

    /** The classified failure of a non-2xx response. */
    abstract ProviderCallException classify(int status, HttpHeaders headers, String body, Clock clock);

    /** Adds the endpoint's {@code header.<Name>} options as headers. */
    static HttpRequest.Builder withOptionHeaders(HttpRequest.Builder builder, ProviderEndpoint endpoint) {
        for (Map.Entry<String, String> option : endpoint.options().entrySet()) {
            if (option.getKey().startsWith(OPTION_HEADER_PREFIX)) {
                builder.header(option.getKey().substring(OPTION_HEADER_PREFIX.length()), option.getValue());
            }
        }
        return builder;
    }
}
