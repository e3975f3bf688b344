package io.aiops.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiops.core.TokenUsage;
import io.aiops.providers.CompletionRequest;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderEndpoint;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Speaks the OpenAI Chat Completions format ({@code POST {baseUrl}/chat/completions}), which OpenAI and many
 * compatible servers (Ollama, vLLM, Mistral, Groq, Together) serve, and Azure OpenAI's variant of it.
 *
 * <p>Format {@value #FORMAT}: the endpoint's base URL includes the version path (e.g. {@code https://api.openai.com/v1});
 * the key, when present, is sent as a bearer token. Format {@value #AZURE_FORMAT}: the base URL is the resource
 * ({@code https://my-resource.openai.azure.com}); the request goes to
 * {@code /openai/deployments/{deployment}/chat/completions?api-version=..}, the deployment taken from option
 * {@value #OPTION_DEPLOYMENT} or else the model name, the key sent in the {@code api-key} header.
 *
 * <p>Endpoint options: {@value #OPTION_API_VERSION} (Azure, default {@value #DEFAULT_AZURE_API_VERSION}),
 * {@value #OPTION_MAX_TOKENS_FIELD} ({@code max_tokens} by default; OpenAI's reasoning models need
 * {@code max_completion_tokens}), {@value #OPTION_SCHEMA_STRICT} ({@code true} by default), and any
 * {@value #OPTION_HEADER_PREFIX}{@code Name} option is sent as header {@code Name}.
 *
 * <p>Usage is taken exactly: {@code prompt_tokens} (which includes {@code cached_tokens}) and
 * {@code completion_tokens} (which includes {@code reasoning_tokens}); missing details count as 0, a response
 * without usage is {@link ErrorClass#MALFORMED_RESPONSE} because its cost could not be accounted.
 */
public final class OpenAiChatAdapter extends JsonOverHttpAdapter {

    public static final String FORMAT = "openai";
    public static final String AZURE_FORMAT = "azure-openai";
    public static final String OPTION_DEPLOYMENT = "deployment";
    public static final String OPTION_API_VERSION = "api-version";
    public static final String OPTION_MAX_TOKENS_FIELD = "max-tokens-field";
    public static final String OPTION_SCHEMA_STRICT = "json-schema-strict";
    public static final String OPTION_HEADER_PREFIX = JsonOverHttpAdapter.OPTION_HEADER_PREFIX;
    public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = ProviderHttp.DEFAULT_CONNECT_TIMEOUT;

    private final String format;

    /** An adapter for format {@code format} ({@value #FORMAT} or {@value #AZURE_FORMAT}) on its own client and clock. */
    public OpenAiChatAdapter(String format, HttpClient client, Clock clock) {
        super(client, clock);
        if (!FORMAT.equals(format) && !AZURE_FORMAT.equals(format)) {
            throw new IllegalArgumentException("format must be " + FORMAT + " or " + AZURE_FORMAT + ", got " + format);
        }
        this.format = format;
    }

    /** OpenAI and OpenAI-compatible servers, on the shared HTTP client. */
    public static OpenAiChatAdapter openAi() {
        return new OpenAiChatAdapter(FORMAT, ProviderHttp.SHARED_CLIENT, Clock.systemUTC());
    }

    /** Azure OpenAI, on the shared HTTP client. */
    public static OpenAiChatAdapter azure() {
        return new OpenAiChatAdapter(AZURE_FORMAT, ProviderHttp.SHARED_CLIENT, Clock.systemUTC());
    }

    @Override
    public String format() {
        return format;
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
        HttpRequest.Builder builder =
                ProviderHttp.postJson(uriFor(endpoint, request), requestBody(endpoint, request), request.timeout());
        String key = endpoint.apiKey();
        if (key != null && !key.isBlank()) {
            if (AZURE_FORMAT.equals(format)) {
                builder.header("api-key", key);
            } else {
                builder.header("Authorization", "Bearer " + key);
            }
        }
        return withOptionHeaders(builder, endpoint).build();
    }

    private URI uriFor(ProviderEndpoint endpoint, CompletionRequest request) {
        String base = ProviderHttp.base(endpoint);
        if (AZURE_FORMAT.equals(format)) {
            String deployment = endpoint.options().getOrDefault(OPTION_DEPLOYMENT, request.model());
            String version = endpoint.options().getOrDefault(OPTION_API_VERSION, DEFAULT_AZURE_API_VERSION);
            return URI.create(base + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8)
                    + "/chat/completions?api-version=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
        }
        return URI.create(base + "/chat/completions");
    }

    private static String requestBody(ProviderEndpoint endpoint, CompletionRequest request) {
        ObjectNode body = ProviderHttp.JSON.createObjectNode();
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
            messages.addObject().put("role", "system").put("content", request.systemPrompt());
        }
        messages.addObject()
                .put("role", "user")
                .put("content", request.userPrompt() == null ? "" : request.userPrompt());
        if (request.maxOutputTokens() > 0) {
            body.put(endpoint.options().getOrDefault(OPTION_MAX_TOKENS_FIELD, "max_tokens"), request.maxOutputTokens());
        }
        JsonNode schema = ProviderHttp.schemaOrNull(request.jsonSchema());
        if (schema != null) {
            ObjectNode format = body.putObject("response_format");
            format.put("type", "json_schema");
            ObjectNode jsonSchema = format.putObject("json_schema");
            jsonSchema.put("name", schema.path("title").asText("result").replaceAll("[^A-Za-z0-9_-]", "_"));
            jsonSchema.set("schema", schema);
            jsonSchema.put(
                    "strict", Boolean.parseBoolean(endpoint.options().getOrDefault(OPTION_SCHEMA_STRICT, "true")));
        }
        return ProviderHttp.serialise(body);
    }

    /** Reads a 2xx Chat Completions body; anything that does not carry an answer and its usage is malformed. */
    static CompletionResponse parseResponse(String body) {
        JsonNode root = ProviderHttp.readObject(body);
        JsonNode choices = root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw malformed("response has no choices", null);
        }
        JsonNode choice = choices.get(0);
        JsonNode message = choice.get("message");
        if (message == null || !message.isObject()) {
            throw malformed("first choice has no message", null);
        }
        String finishReason = textOrNull(choice.get("finish_reason"));
        String text = contentText(message.get("content"));
        if (text == null) {
            String refusal = textOrNull(message.get("refusal"));
            if (refusal == null) {
                throw malformed("message has neither content nor refusal", null);
            }
            // the model declined: its refusal is the answer the workflow gets to see
            text = refusal;
            finishReason = "refusal";
        }
        TokenUsage usage = parseUsage(root.get("usage"), textOrNull(root.get("service_tier")));
        return new CompletionResponse(
                text, finishReason, usage, textOrNull(root.get("model")), textOrNull(root.get("id")));
    }

    static TokenUsage parseUsage(JsonNode usage) {
        return parseUsage(usage, null);
    }

    /**
     * {@code serviceTier} is the response's {@code service_tier}: the tier the call was processed and billed at
     * ({@code default}, {@code flex}, {@code priority}, {@code scale}), which may differ from the one asked for.
     */
    static TokenUsage parseUsage(JsonNode usage, String serviceTier) {
        if (usage == null || !usage.isObject()) {
            throw malformed("response carries no usage, so its cost cannot be accounted", null);
        }
        long prompt = ProviderHttp.count(usage.get("prompt_tokens"), "prompt_tokens", true);
        long completion = ProviderHttp.count(usage.get("completion_tokens"), "completion_tokens", true);
        long cached =
                ProviderHttp.count(usage.path("prompt_tokens_details").get("cached_tokens"), "cached_tokens", false);
        long reasoning = ProviderHttp.count(
                usage.path("completion_tokens_details").get("reasoning_tokens"), "reasoning_tokens", false);
        return ProviderHttp.usage(prompt, cached, 0, 0, completion, reasoning, serviceTier);
    }

    private static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.has("text")) {
                    text.append(part.get("text").asText());
                }
            }
            return text.toString();
        }
        return null;
    }

    /** Turns a non-2xx response into its classified exception. */
    static ProviderCallException classifyError(int status, HttpHeaders headers, String body, Clock clock) {
        String type = null;
        String code = null;
        String message = null;
        JsonNode root = ProviderHttp.readErrorBody(body);
        JsonNode e = root.has("error") ? root.get("error") : root;
        if (e.isObject()) {
            type = textOrNull(e.get("type"));
            code = textOrNull(e.get("code"));
            message = textOrNull(e.get("message"));
        } else if (e.isTextual()) {
            message = e.asText();
        }
        message = ProviderHttp.errorText(message, body);
        ErrorClass errorClass = classify(status, type, code);
        Duration retryAfter = RetryAfterHeaders.fromHeaders(headers, clock);
        String detail =
                "HTTP " + status + (code != null ? " " + code : type != null ? " " + type : "") + ": " + message;
        return new ProviderCallException(errorClass, status, detail, retryAfter, null);
    }

    static ErrorClass classify(int status, String type, String code) {
        String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (status == 429 && (c.equals("insufficient_quota") || t.equals("insufficient_quota"))) {
            return ErrorClass.QUOTA_EXCEEDED;
        }
        return ProviderHttp.classifyStatus(status);
    }

    private static ProviderCallException malformed(String why, Throwable cause) {
        return ProviderHttp.malformed(why, cause);
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }
}
