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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Speaks Google's Gemini {@code generateContent} format ({@code POST {baseUrl}/v1beta/models/{model}:generateContent},
 * or {@code {baseUrl}/models/{model}:generateContent} when the base URL already ends in a version segment), the key
 * sent in {@code x-goog-api-key}.
 *
 * <p>Structured output sets {@code responseMimeType: application/json} and the schema under
 * {@code generationConfig.responseJsonSchema} (endpoint option {@value #OPTION_SCHEMA_FIELD} switches to the older
 * {@code responseSchema}).
 *
 * <p>Usage: {@code promptTokenCount} already includes {@code cachedContentTokenCount} (plus
 * {@code toolUsePromptTokenCount}, billed as input); thinking tokens ({@code thoughtsTokenCount}) are billed as output
 * but not inside {@code candidatesTokenCount}, so output = candidates + thoughts and reasoning = thoughts. Thought
 * parts are not part of the answer.
 *
 * <p>Errors are classified by {@code error.status}; a 429 {@code RESOURCE_EXHAUSTED} whose quota violation is a
 * per-day quota is {@link ErrorClass#QUOTA_EXCEEDED} (waiting minutes does not help), otherwise
 * {@link ErrorClass#RATE_LIMITED} with the wait from {@code RetryInfo.retryDelay}. A prompt the safety filters block
 * ({@code promptFeedback.blockReason}) is {@link ErrorClass#BAD_REQUEST}.
 */
public final class GeminiGenerateContentAdapter extends JsonOverHttpAdapter {

    public static final String FORMAT = "gemini";
    public static final String OPTION_SCHEMA_FIELD = "schema-field";
    public static final String OPTION_HEADER_PREFIX = JsonOverHttpAdapter.OPTION_HEADER_PREFIX;
    public static final String DEFAULT_SCHEMA_FIELD = "responseJsonSchema";
    static final String RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";
    static final String QUOTA_FAILURE_TYPE = "type.googleapis.com/google.rpc.QuotaFailure";

    /** An adapter on its own client and clock. */
    public GeminiGenerateContentAdapter(HttpClient client, Clock clock) {
        super(client, clock);
    }

    /** The adapter on the shared HTTP client. */
    public static GeminiGenerateContentAdapter gemini() {
        return new GeminiGenerateContentAdapter(ProviderHttp.SHARED_CLIENT, Clock.systemUTC());
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
        String model = request.model().startsWith("models/") ? request.model().substring(7) : request.model();
        URI uri = URI.create(base + (ProviderHttp.endsWithVersion(base) ? "" : "/v1beta") + "/models/"
                + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":generateContent");
        HttpRequest.Builder builder = ProviderHttp.postJson(uri, requestBody(endpoint, request), request.timeout());
        String key = endpoint.apiKey();
        if (key != null && !key.isBlank()) {
            builder.header("x-goog-api-key", key);
        }
        return withOptionHeaders(builder, endpoint).build();
    }

    private static String requestBody(ProviderEndpoint endpoint, CompletionRequest request) {
        ObjectNode body = ProviderHttp.JSON.createObjectNode();
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
            body.putObject("systemInstruction").putArray("parts").addObject().put("text", request.systemPrompt());
        }
        ObjectNode content = body.putArray("contents").addObject();
        content.put("role", "user");
        content.putArray("parts").addObject().put("text", request.userPrompt() == null ? "" : request.userPrompt());
        ObjectNode generation = ProviderHttp.JSON.createObjectNode();
        if (request.maxOutputTokens() > 0) {
            generation.put("maxOutputTokens", request.maxOutputTokens());
        }
        JsonNode schema = ProviderHttp.schemaOrNull(request.jsonSchema());
        if (schema != null) {
            generation.put("responseMimeType", "application/json");
            generation.set(endpoint.options().getOrDefault(OPTION_SCHEMA_FIELD, DEFAULT_SCHEMA_FIELD), schema);
        }
        if (!generation.isEmpty()) {
            body.set("generationConfig", generation);
        }
        return ProviderHttp.serialise(body);
    }

    /** Reads a 2xx generateContent body; anything without an answer and its usage is malformed. */
    static CompletionResponse parseResponse(String body) {
        JsonNode root = ProviderHttp.readObject(body);
        JsonNode candidates = root.get("candidates");
        if (candidates == null || !candidates.isArray() || candidates.isEmpty()) {
            String blockReason =
                    ProviderHttp.textOrNull(root.path("promptFeedback").get("blockReason"));
            if (blockReason != null) {
                throw new ProviderCallException(
                        ErrorClass.BAD_REQUEST, 200, "prompt blocked by the provider: " + blockReason);
            }
            throw ProviderHttp.malformed("response has no candidates", null);
        }
        JsonNode candidate = candidates.get(0);
        String finishReason = ProviderHttp.textOrNull(candidate.get("finishReason"));
        JsonNode parts = candidate.path("content").get("parts");
        StringBuilder text = new StringBuilder();
        boolean anyText = false;
        if (parts != null && parts.isArray()) {
            for (JsonNode part : parts) {
                // thought summaries are not the answer
                if (part.has("text") && !part.path("thought").asBoolean(false)) {
                    text.append(part.get("text").asText());
                    anyText = true;
                }
            }
        }
        if (!anyText && !"MAX_TOKENS".equals(finishReason)) {
            throw ProviderHttp.malformed("candidate carries no text (finishReason " + finishReason + ")", null);
        }
        return new CompletionResponse(
                text.toString(),
                finishReason,
                parseUsage(root.get("usageMetadata")),
                ProviderHttp.textOrNull(root.get("modelVersion")),
                ProviderHttp.textOrNull(root.get("responseId")));
    }

    static TokenUsage parseUsage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            throw ProviderHttp.malformed("response carries no usageMetadata, so its cost cannot be accounted", null);
        }
        long prompt = ProviderHttp.count(usage.get("promptTokenCount"), "promptTokenCount", true);
        long toolPrompt = ProviderHttp.count(usage.get("toolUsePromptTokenCount"), "toolUsePromptTokenCount", false);
        long cached = ProviderHttp.count(usage.get("cachedContentTokenCount"), "cachedContentTokenCount", false);
        // a candidate cut off before any text (or blocked) may come without candidatesTokenCount
        long candidatesTokens = ProviderHttp.count(usage.get("candidatesTokenCount"), "candidatesTokenCount", false);
        long thoughts = ProviderHttp.count(usage.get("thoughtsTokenCount"), "thoughtsTokenCount", false);
        return ProviderHttp.usage(prompt + toolPrompt, cached, 0, candidatesTokens + thoughts, thoughts);
    }

    /** Turns a non-2xx response into its classified exception. */
    static ProviderCallException classifyError(int status, HttpHeaders headers, String body, Clock clock) {
        JsonNode error = ProviderHttp.readErrorBody(body).path("error");
        String grpcStatus = ProviderHttp.textOrNull(error.get("status"));
        String message = ProviderHttp.errorText(ProviderHttp.textOrNull(error.get("message")), body);
        ErrorClass errorClass = classify(status, grpcStatus, perDayQuota(error.path("details")));
        Duration retryAfter = RetryAfterHeaders.fromHeaders(headers, clock);
        if (retryAfter == null) {
            retryAfter = retryDelay(error.path("details"));
        }
        String detail = "HTTP " + status + (grpcStatus != null ? " " + grpcStatus : "") + ": " + message;
        return new ProviderCallException(errorClass, status, detail, retryAfter, null);
    }

    static ErrorClass classify(int status, String grpcStatus, boolean perDayQuota) {
        if (grpcStatus == null) {
            return ProviderHttp.classifyStatus(status);
        }
        return switch (grpcStatus) {
            case "INVALID_ARGUMENT", "OUT_OF_RANGE" ->
                status == 413 ? ErrorClass.REQUEST_TOO_LARGE : ErrorClass.BAD_REQUEST;
            // e.g. the free tier is not available in the caller's region, or billing is not enabled
            case "FAILED_PRECONDITION" -> ErrorClass.PERMISSION;
            case "UNAUTHENTICATED" -> ErrorClass.AUTHENTICATION;
            case "PERMISSION_DENIED" -> ErrorClass.PERMISSION;
            case "NOT_FOUND" -> ErrorClass.NOT_FOUND;
            case "RESOURCE_EXHAUSTED" -> perDayQuota ? ErrorClass.QUOTA_EXCEEDED : ErrorClass.RATE_LIMITED;
            case "INTERNAL", "UNKNOWN", "DATA_LOSS" -> ErrorClass.SERVER_ERROR;
            case "UNAVAILABLE" -> ErrorClass.OVERLOADED;
            case "DEADLINE_EXCEEDED" -> ErrorClass.TIMEOUT;
            default -> ProviderHttp.classifyStatus(status);
        };
    }

    /** {@code RetryInfo.retryDelay} ({@code "22s"}, {@code "1.5s"}) among the error details, or null. */
    static Duration retryDelay(JsonNode details) {
        for (JsonNode detail : details) {
            if (RETRY_INFO_TYPE.equals(detail.path("@type").asText())) {
                return RetryAfterHeaders.parseDuration(detail.path("retryDelay").asText(null));
            }
        }
        return null;
    }

    private static boolean perDayQuota(JsonNode details) {
        for (JsonNode detail : details) {
            if (QUOTA_FAILURE_TYPE.equals(detail.path("@type").asText())) {
                for (JsonNode violation : detail.path("violations")) {
                    if (violation.path("quotaId").asText("").contains("PerDay")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
