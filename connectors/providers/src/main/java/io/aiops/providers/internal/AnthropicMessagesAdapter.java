package io.aiops.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiops.core.TokenUsage;
import io.aiops.providers.CompletionRequest;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Speaks Anthropic's Messages format ({@code POST {baseUrl}/v1/messages}, or {@code {baseUrl}/messages} when the base
 * URL already ends in a version segment such as {@code /v1}), authenticated with {@code x-api-key} and pinned to
 * {@code anthropic-version} {@value #DEFAULT_VERSION} (endpoint option {@value #OPTION_VERSION}).
 *
 * <p>Structured output is asked for with one forced tool whose input schema is the requested JSON schema; the tool
 * call's input is the answer text. Anthropic requires {@code max_tokens}: when the request sets none,
 * {@value #DEFAULT_MAX_TOKENS} is sent (endpoint option {@value #OPTION_DEFAULT_MAX_TOKENS}). With endpoint option
 * {@value #OPTION_CACHE_SYSTEM_PROMPT}{@code =true} the system prompt is marked for prompt caching
 * ({@code cache_control: ephemeral}): repeated long system prompts are then billed at the cache-read price after one
 * cache write.
 *
 * <p>Usage: Anthropic's {@code input_tokens} excludes cache reads and cache writes, so the normalised input is
 * {@code input_tokens + cache_read_input_tokens + cache_creation_input_tokens}, of which
 * {@code cache_read_input_tokens} are cached and {@code cache_creation_input_tokens} cache writes (split into 5-minute
 * and 1-hour writes by {@code cache_creation}; the tier billed is {@code usage.service_tier}). Thinking tokens
 * are inside {@code output_tokens} and not reported apart, so reasoning is 0.
 *
 * <p>Errors are classified by {@code error.type} ({@code overloaded_error} on 529 is retryable); a 400 or 429 that
 * says the credit balance or spend limit is exhausted is {@link ErrorClass#QUOTA_EXCEEDED}, because neither retrying
 * nor changing the prompt helps. The wait is {@code retry-after} (seconds), else the reset of the exhausted
 * {@code anthropic-ratelimit-*} limit.
 */
public final class AnthropicMessagesAdapter extends JsonOverHttpAdapter {

    public static final String FORMAT = "anthropic";
    public static final String OPTION_VERSION = "anthropic-version";
    public static final String OPTION_DEFAULT_MAX_TOKENS = "default-max-tokens";
    public static final String OPTION_CACHE_SYSTEM_PROMPT = "cache-system-prompt";
    public static final String OPTION_HEADER_PREFIX = JsonOverHttpAdapter.OPTION_HEADER_PREFIX;
    public static final String DEFAULT_VERSION = "2023-06-01";
    public static final int DEFAULT_MAX_TOKENS = 4096;
    static final String STRUCTURED_OUTPUT_TOOL = "structured_result";

    /** An adapter on its own client and clock. */
    public AnthropicMessagesAdapter(HttpClient client, Clock clock) {
        super(client, clock);
    }

    /** The adapter on the shared HTTP client. */
    public static AnthropicMessagesAdapter anthropic() {
        return new AnthropicMessagesAdapter(ProviderHttp.SHARED_CLIENT, Clock.systemUTC());
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    CompletionResponse parse(String body) {
        return parseResponse(body);
    }

    @Override
    ProviderCallException classify(int status, HttpHeaders headers, String body, Clock clock) {
        return classifyError(status, headers, body, clock);
    }

    HttpRequest buildRequest(ProviderEndpoint endpoint, CompletionRequest request) {
        String base = ProviderHttp.base(endpoint);
        URI uri = URI.create(base + (ProviderHttp.endsWithVersion(base) ? "" : "/v1") + "/messages");
        HttpRequest.Builder builder = ProviderHttp.postJson(uri, requestBody(endpoint, request), request.timeout())
                .header("anthropic-version", endpoint.options().getOrDefault(OPTION_VERSION, DEFAULT_VERSION));
        String key = endpoint.apiKey();
        if (key != null && !key.isBlank()) {
            builder.header("x-api-key", key);
        }
        return withOptionHeaders(builder, endpoint).build();
    }

    private static String requestBody(ProviderEndpoint endpoint, CompletionRequest request) {
        ObjectNode body = ProviderHttp.JSON.createObjectNode();
        body.put("model", request.model());
        body.put(
                "max_tokens",
                request.maxOutputTokens() > 0
                        ? request.maxOutputTokens()
                        : Integer.parseInt(endpoint.options()
                                .getOrDefault(OPTION_DEFAULT_MAX_TOKENS, String.valueOf(DEFAULT_MAX_TOKENS))));
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
            if (Boolean.parseBoolean(endpoint.options().get(OPTION_CACHE_SYSTEM_PROMPT))) {
                body.putArray("system")
                        .addObject()
                        .put("type", "text")
                        .put("text", request.systemPrompt())
                        .putObject("cache_control")
                        .put("type", "ephemeral");
            } else {
                body.put("system", request.systemPrompt());
            }
        }
        body.putArray("messages")
                .addObject()
                .put("role", "user")
                .put("content", request.userPrompt() == null ? "" : request.userPrompt());
        JsonNode schema = ProviderHttp.schemaOrNull(request.jsonSchema());
        if (schema != null) {
            ObjectNode tool = body.putArray("tools").addObject();
            tool.put("name", STRUCTURED_OUTPUT_TOOL);
            tool.put("description", "Return the result in exactly this structure.");
            tool.set("input_schema", schema);
            body.putObject("tool_choice").put("type", "tool").put("name", STRUCTURED_OUTPUT_TOOL);
        }
        return ProviderHttp.serialise(body);
    }

    /** Reads a 2xx Messages body; anything without an answer and its usage is malformed. */
    static CompletionResponse parseResponse(String body) {
        JsonNode root = ProviderHttp.readObject(body);
        JsonNode content = root.get("content");
        if (content == null || !content.isArray()) {
            throw ProviderHttp.malformed("message has no content array", null);
        }
        StringBuilder text = new StringBuilder();
        String toolInput = null;
        for (JsonNode block : content) {
            String type = block.path("type").asText();
            if (type.equals("text")) {
                text.append(block.path("text").asText());
            } else if (type.equals("tool_use") && toolInput == null && block.get("input") != null) {
                toolInput = ProviderHttp.serialise(block.get("input"));
            }
        }
        String stopReason = ProviderHttp.textOrNull(root.get("stop_reason"));
        String answer = toolInput != null ? toolInput : text.toString();
        if (answer.isEmpty() && !"max_tokens".equals(stopReason)) {
            throw ProviderHttp.malformed(
                    "message carries neither text nor a tool result (stop_reason " + stopReason + ")", null);
        }
        return new CompletionResponse(
                answer,
                stopReason,
                parseUsage(root.get("usage")),
                ProviderHttp.textOrNull(root.get("model")),
                ProviderHttp.textOrNull(root.get("id")));
    }

    static TokenUsage parseUsage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            throw ProviderHttp.malformed("response carries no usage, so its cost cannot be accounted", null);
        }
        long uncachedInput = ProviderHttp.count(usage.get("input_tokens"), "input_tokens", true);
        long output = ProviderHttp.count(usage.get("output_tokens"), "output_tokens", true);
        long cacheRead = ProviderHttp.count(usage.get("cache_read_input_tokens"), "cache_read_input_tokens", false);
        long cacheWrite =
                ProviderHttp.count(usage.get("cache_creation_input_tokens"), "cache_creation_input_tokens", false);
        // the writes split by how long they are kept: 1-hour writes cost more than 5-minute ones
        JsonNode creation = usage.path("cache_creation");
        long write5m =
                ProviderHttp.count(creation.get("ephemeral_5m_input_tokens"), "ephemeral_5m_input_tokens", false);
        long write1h =
                ProviderHttp.count(creation.get("ephemeral_1h_input_tokens"), "ephemeral_1h_input_tokens", false);
        if (!usage.has("cache_creation_input_tokens")) {
            cacheWrite = write5m + write1h;
        }
        return ProviderHttp.usage(
                uncachedInput + cacheRead + cacheWrite,
                cacheRead,
                cacheWrite,
                write1h,
                output,
                0,
                ProviderHttp.textOrNull(usage.get("service_tier")));
    }

    /** Turns a non-2xx response into its classified exception. */
    static ProviderCallException classifyError(int status, HttpHeaders headers, String body, Clock clock) {
        JsonNode error = ProviderHttp.readErrorBody(body).path("error");
        String type = ProviderHttp.textOrNull(error.get("type"));
        String message = ProviderHttp.errorText(ProviderHttp.textOrNull(error.get("message")), body);
        ErrorClass errorClass = classify(status, type, message);
        Duration retryAfter = RetryAfterHeaders.fromHeaders(headers, clock);
        String detail = "HTTP " + status + (type != null ? " " + type : "") + ": " + message;
        return new ProviderCallException(errorClass, status, detail, retryAfter, null);
    }

    static ErrorClass classify(int status, String type, String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if ((status == 400 || status == 429) && (m.contains("credit balance") || m.contains("spend limit"))) {
            return ErrorClass.QUOTA_EXCEEDED;
        }
        if (type == null) {
            return ProviderHttp.classifyStatus(status);
        }
        return switch (type) {
            case "invalid_request_error" -> status == 413 ? ErrorClass.REQUEST_TOO_LARGE : ErrorClass.BAD_REQUEST;
            case "authentication_error" -> ErrorClass.AUTHENTICATION;
            case "permission_error" -> ErrorClass.PERMISSION;
            case "billing_error" -> ErrorClass.QUOTA_EXCEEDED;
            case "not_found_error" -> ErrorClass.NOT_FOUND;
            case "request_too_large" -> ErrorClass.REQUEST_TOO_LARGE;
            case "rate_limit_error" -> ErrorClass.RATE_LIMITED;
            case "api_error" -> ErrorClass.SERVER_ERROR;
            case "timeout_error" -> ErrorClass.TIMEOUT;
            case "overloaded_error" -> ErrorClass.OVERLOADED;
            default -> ProviderHttp.classifyStatus(status);
        };
    }
}
