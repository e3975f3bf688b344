package io.aiops.providers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.core.TokenUsage;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The HTTP exchange every JSON-over-HTTP adapter shares: posting a JSON body, turning transport failures into
 * classified {@link ProviderCallException}s, and the small parsing rules all formats follow.
 */
final class ProviderHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_ERROR_TEXT = 300;
    // one client for all adapters: it pools connections and threads, so sharing it is the cheap and intended use
    static final HttpClient SHARED_CLIENT = HttpClient.newBuilder()
            .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private static final Pattern VERSION_SEGMENT = Pattern.compile(".*/v\\d+[a-z0-9]*$");

    private ProviderHttp() {}

    /** A JSON POST to {@code uri} with the request's timeout, on HTTP/1.1 for plain-HTTP servers. */
    static HttpRequest.Builder postJson(URI uri, String body, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            // no h2c upgrade dance on plain HTTP: local servers (Ollama, vLLM, the simulator) speak HTTP/1.1
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        if (timeout != null && timeout.isPositive()) {
            builder.timeout(timeout);
        }
        return builder;
    }

    /**
     * Sends the request. A connection that fails before the status line is {@link ErrorClass#CONNECTION}; one that
     * breaks after the headers arrived cut the body short, which is {@link ErrorClass#MALFORMED_RESPONSE}.
     */
    static HttpResponse<String> send(
            HttpClient client, HttpRequest request, ProviderEndpoint endpoint, Duration timeout) {
        AtomicInteger status = new AtomicInteger();
        HttpResponse.BodyHandler<String> handler = info -> {
            status.set(info.statusCode());
            return HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
        };
        try {
            return client.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw new ProviderCallException(ErrorClass.CONNECTION, 0, where(endpoint) + ": connect timed out", null, e);
        } catch (HttpTimeoutException e) {
            throw new ProviderCallException(
                    ErrorClass.TIMEOUT, 0, where(endpoint) + ": no response within " + timeout, null, e);
        } catch (IOException e) {
            if (status.get() != 0) {
                throw new ProviderCallException(
                        ErrorClass.MALFORMED_RESPONSE,
                        status.get(),
                        where(endpoint) + ": response body cut off after HTTP " + status.get() + " headers ("
                                + e.getClass().getSimpleName() + " " + e.getMessage() + ")",
                        null,
                        e);
            }
            throw new ProviderCallException(
                    ErrorClass.CONNECTION,
                    0,
                    where(endpoint) + ": " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    null,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderCallException(ErrorClass.UNKNOWN, 0, where(endpoint) + ": interrupted", null, e);
        }
    }

    /** The endpoint's base URL without trailing slashes. */
    static String base(ProviderEndpoint endpoint) {
        return endpoint.baseUrl().toString().replaceAll("/+$", "");
    }

    /** True when the base URL already ends in an API version segment such as {@code /v1} or {@code /v1beta}. */
    static boolean endsWithVersion(String base) {
        return VERSION_SEGMENT.matcher(base).matches();
    }

    /** Parses a 2xx body that must be a JSON object. */
    static JsonNode readObject(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw malformed("body is not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw malformed("body is not a JSON object", null);
        }
        return root;
    }

    /** Parses an error body leniently: proxies answer with HTML or plain text, then there is no JSON to read. */
    static JsonNode readErrorBody(String body) {
        try {
            JsonNode root = JSON.readTree(body == null ? "" : body);
            return root == null ? JSON.missingNode() : root;
        } catch (JsonProcessingException notJson) {
            return JSON.missingNode();
        }
    }

    /** The provider's message, else the raw body, shortened for logs and the ledger. */
    static String errorText(String message, String body) {
        String text = message != null ? message : body == null || body.isBlank() ? "(empty body)" : body.strip();
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "..." : text;
    }

    /** The class an HTTP status alone implies, used when the body names nothing more specific. */
    static ErrorClass classifyStatus(int status) {
        return switch (status) {
            case 400, 422 -> ErrorClass.BAD_REQUEST;
            case 401 -> ErrorClass.AUTHENTICATION;
            case 402 -> ErrorClass.QUOTA_EXCEEDED;
            case 403 -> ErrorClass.PERMISSION;
            case 404 -> ErrorClass.NOT_FOUND;
            case 408, 504 -> ErrorClass.TIMEOUT;
            case 413 -> ErrorClass.REQUEST_TOO_LARGE;
            case 429 -> ErrorClass.RATE_LIMITED;
            case 500, 502 -> ErrorClass.SERVER_ERROR;
            case 503, 529 -> ErrorClass.OVERLOADED;
            default -> status >= 500 ? ErrorClass.SERVER_ERROR : ErrorClass.UNKNOWN;
        };
    }

    static ProviderCallException malformed(String why, Throwable cause) {
        return new ProviderCallException(ErrorClass.MALFORMED_RESPONSE, 200, "malformed response: " + why, null, cause);
    }

    /** A usage count: a non-negative integer; absent counts as 0 unless required. */
    static long count(JsonNode node, String field, boolean required) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (required) {
                throw malformed("usage field " + field + " is missing", null);
            }
            return 0;
        }
        if (!node.isIntegralNumber() || node.asLong() < 0) {
            throw malformed("usage field " + field + " is not a token count: " + node, null);
        }
        return node.asLong();
    }

    /** What OpenAI ({@code default}) and Anthropic ({@code standard}) call the tier billed at the plain prices. */
    private static final Set<String> PLAIN_TIERS = Set.of("default", "standard");

    /** Builds the normalised usage, reporting inconsistent provider numbers as a malformed response. */
    static TokenUsage usage(long input, long cached, long cacheWrite, long output, long reasoning) {
        return usage(input, cached, cacheWrite, 0, output, reasoning, null);
    }

    /**
     * As above, with the 1-hour part of the cache writes and the service tier the provider billed; the names providers
     * give their plain tier ({@code default}, {@code standard}) become null, the default tier.
     */
    static TokenUsage usage(
            long input,
            long cached,
            long cacheWrite,
            long cacheWrite1h,
            long output,
            long reasoning,
            String serviceTier) {
        String tier =
                serviceTier == null || serviceTier.isBlank() || PLAIN_TIERS.contains(serviceTier) ? null : serviceTier;
        try {
            return new TokenUsage(input, cached, cacheWrite, cacheWrite1h, output, reasoning, tier);
        } catch (IllegalArgumentException e) {
            throw malformed("inconsistent usage: " + e.getMessage(), e);
        }
    }

    static String textOrNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    static String serialise(JsonNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain JSON nodes always serialises", e);
        }
    }

    /** The request's JSON schema as an object node, rejected before anything is sent when it is not one. */
    static JsonNode schemaOrNull(String jsonSchema) {
        if (jsonSchema == null || jsonSchema.isBlank()) {
            return null;
        }
        JsonNode schema;
        try {
            schema = JSON.readTree(jsonSchema);
        } catch (JsonProcessingException e) {
            throw new ProviderCallException(
                    ErrorClass.BAD_REQUEST, 0, "jsonSchema is not valid JSON: " + e.getOriginalMessage(), null, e);
        }
        if (schema == null || !schema.isObject()) {
            throw new ProviderCallException(ErrorClass.BAD_REQUEST, 0, "jsonSchema must be a JSON object");
        }
        return schema;
    }

    static String where(ProviderEndpoint endpoint) {
        return endpoint.name() + " (" + endpoint.baseUrl() + ")";
    }
}
