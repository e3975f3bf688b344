package io.aiops.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves OpenAI Chat Completions ({@code POST /v1/chat/completions}, also Azure's
 * {@code /openai/deployments/{deployment}/chat/completions}) with the answers of {@link AnswerRules} and the usage of
 * {@link TokenRules}.
 */
final class OpenAiChatEndpoint extends CompletionEndpoint {

    static final long RATE_LIMIT_REQUESTS = 10_000;
    static final long RATE_LIMIT_TOKENS = 2_000_000;
    private static final Pattern AZURE_PATH = Pattern.compile("/openai/deployments/([^/]+)/chat/completions/?");

    OpenAiChatEndpoint(
            SimulatorConfig config,
            FaultPlan faults,
            LatencyPlan latency,
            StatsCounter stats,
            CountDownLatch closing,
            AtomicLong sequence) {
        super(config, faults, latency, stats, closing, sequence);
    }

    @Override
    boolean serves(String path) {
        return path.equals("/v1/chat/completions")
                || path.equals("/chat/completions")
                || AZURE_PATH.matcher(path).matches();
    }

    @Override
    String modelOf(String path, JsonNode body) {
        JsonNode model = body.get("model");
        if (model != null && model.isTextual() && !model.asText().isBlank()) {
            return model.asText();
        }
        Matcher azure = AZURE_PATH.matcher(path);
        return azure.matches() ? azure.group(1) : null;
    }

    @Override
    boolean authorised(Headers headers, String requiredKey) {
        return ("Bearer " + requiredKey).equals(headers.getFirst("Authorization"))
                || requiredKey.equals(headers.getFirst("api-key"));
    }

    @Override
    void requestId(Headers headers, long seq) {
        headers.set("x-request-id", "req_sim_" + Long.toHexString(0x100000L + seq));
    }

    @Override
    ObjectNode errorBody(int status, Problem problem, String message) {
        return switch (problem) {
            case INVALID_REQUEST -> HttpReplies.openAiError(message, "invalid_request_error", null);
            case AUTHENTICATION -> HttpReplies.openAiError(message, "invalid_request_error", "invalid_api_key");
            case METHOD_NOT_ALLOWED -> HttpReplies.openAiError(message, "invalid_request_error", "method_not_allowed");
            case RATE_LIMIT -> HttpReplies.openAiError(message, "requests", "rate_limit_exceeded");
            case QUOTA -> HttpReplies.openAiError(message, "insufficient_quota", "insufficient_quota");
            case SERVER -> HttpReplies.openAiError(message, "server_error", null);
            case OVERLOADED ->
                HttpReplies.openAiError(message, status == 529 ? "overloaded_error" : "server_error", null);
        };
    }

    @Override
    void rateLimitHeaders(Headers headers, String model) {
        headers.set("x-ratelimit-limit-requests", String.valueOf(RATE_LIMIT_REQUESTS));
        headers.set("x-ratelimit-remaining-requests", "0");
        headers.set("x-ratelimit-reset-requests", config.retryAfterSeconds() + "s");
    }

    @Override
    ObjectNode answer(HttpExchange exchange, JsonNode body, String model, long seq, FaultKind spoiled)
            throws InvalidRequest {
        if (body.path("stream").asBoolean(false)) {
            throw new InvalidRequest("The simulator does not stream; send stream=false.");
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidRequest("'messages' must be a non-empty array.");
        }
        List<String> contents = new ArrayList<>();
        String systemPrompt = null;
        for (JsonNode message : messages) {
            String content = contentText(message.get("content"));
            contents.add(content);
            String role = message.path("role").asText();
            if (systemPrompt == null && (role.equals("system") || role.equals("developer"))) {
                systemPrompt = content;
            }
        }
        String prompt = String.join("\n", contents);
        AnswerFaults.Spoiled given =
                AnswerFaults.spoil(spoiled, answerText(body.get("response_format"), model, prompt));
        String answer = given.text();
        String finishReason = given.truncated() ? "length" : "stop";
        long maxTokens = body.path("max_completion_tokens")
                .asLong(body.path("max_tokens").asLong(0));
        if (maxTokens > 0 && TokenRules.textTokens(answer) > maxTokens) {
            answer = answer.substring(0, (int) Math.min(answer.length(), maxTokens * 4));
            finishReason = "length";
        }
        long promptTokens = TokenRules.promptTokens(contents);
        long cached = cachedTokens(model, systemPrompt);
        long reasoning = TokenRules.reasoningTokens(model, promptTokens);
        long completionTokens = TokenRules.textTokens(answer) + reasoning;

        ObjectNode response = HttpReplies.JSON.createObjectNode();
        response.put("id", "chatcmpl-sim" + String.format("%08d", seq));
        response.put("object", "chat.completion");
        response.put("created", config.clock().instant().getEpochSecond());
        response.put("model", model);
        ArrayNode choices = response.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer);
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        ObjectNode usage = response.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
        promptDetails.put("cached_tokens", cached);
        promptDetails.put("audio_tokens", 0);
        ObjectNode completionDetails = usage.putObject("completion_tokens_details");
        completionDetails.put("reasoning_tokens", reasoning);
        completionDetails.put("audio_tokens", 0);
        completionDetails.put("accepted_prediction_tokens", 0);
        completionDetails.put("rejected_prediction_tokens", 0);
        response.put("system_fingerprint", "fp_simulator");

        Headers headers = exchange.getResponseHeaders();
        long requestsSoFar = stats.snapshot().requests(model);
        headers.set("x-ratelimit-limit-requests", String.valueOf(RATE_LIMIT_REQUESTS));
        headers.set("x-ratelimit-limit-tokens", String.valueOf(RATE_LIMIT_TOKENS));
        headers.set(
                "x-ratelimit-remaining-requests",
                String.valueOf(RATE_LIMIT_REQUESTS - 1 - (requestsSoFar - 1) % RATE_LIMIT_REQUESTS));
        headers.set(
                "x-ratelimit-remaining-tokens",
                String.valueOf(Math.max(0, RATE_LIMIT_TOKENS - promptTokens - completionTokens)));
        headers.set("x-ratelimit-reset-requests", "6s");
        headers.set("x-ratelimit-reset-tokens", "12ms");
        headers.set(
                "openai-processing-ms", String.valueOf(latency.latencyFor(model).toMillis()));
        return response;
    }

    private static String answerText(JsonNode responseFormat, String model, String prompt) {
        String type =
                responseFormat == null ? "text" : responseFormat.path("type").asText("text");
        if (type.equals("json_schema")) {
            return json(
                    AnswerRules.jsonAnswer(responseFormat.path("json_schema").get("schema"), prompt));
        }
        if (type.equals("json_object")) {
            ObjectNode object = HttpReplies.JSON.createObjectNode();
            object.put("answer", AnswerRules.textAnswer(model, prompt));
            return json(object);
        }
        return AnswerRules.textAnswer(model, prompt);
    }

    static String json(JsonNode node) {
        try {
            return HttpReplies.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain JSON nodes always serialises", e);
        }
    }
}
