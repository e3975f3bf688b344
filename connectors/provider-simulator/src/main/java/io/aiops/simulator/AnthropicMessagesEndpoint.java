package io.aiops.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves Anthropic Messages ({@code POST /v1/messages}, key in {@code x-api-key}) with the answers of
 * {@link AnswerRules} and the token arithmetic of {@link TokenRules}, reported the Anthropic way: {@code input_tokens}
 * excludes cache reads and writes. A system prompt sent as blocks with {@code cache_control} of at least
 * {@value TokenRules#CACHE_MINIMUM_TOKENS} tokens is written to the cache on first sight
 * ({@code cache_creation_input_tokens}) and read from it afterwards ({@code cache_read_input_tokens}). A forced tool
 * ({@code tool_choice: {type: tool}}) is answered with a {@code tool_use} block whose input follows the tool's schema.
 */
final class AnthropicMessagesEndpoint extends CompletionEndpoint {

    static final long RATE_LIMIT_REQUESTS = 4_000;

    AnthropicMessagesEndpoint(
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
        return path.equals("/v1/messages") || path.equals("/messages");
    }

    @Override
    String modelOf(String path, JsonNode body) {
        JsonNode model = body.get("model");
        return model != null && model.isTextual() && !model.asText().isBlank() ? model.asText() : null;
    }

    @Override
    boolean authorised(Headers headers, String requiredKey) {
        return requiredKey.equals(headers.getFirst("x-api-key"));
    }

    @Override
    void requestId(Headers headers, long seq) {
        headers.set("request-id", requestIdOf(seq));
    }

    @Override
    ObjectNode errorBody(int status, Problem problem, String message) {
        String type = switch (problem) {
            case INVALID_REQUEST, METHOD_NOT_ALLOWED -> status == 413 ? "request_too_large" : "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case RATE_LIMIT, QUOTA -> "rate_limit_error";
            case SERVER -> "api_error";
            case OVERLOADED -> "overloaded_error";
        };
        ObjectNode body = HttpReplies.JSON.createObjectNode();
        body.put("type", "error");
        body.putObject("error")
                .put("type", type)
                .put(
                        "message",
                        problem == Problem.QUOTA
                                ? "This request would exceed your workspace's API spend limit. Raise the limit or wait until it resets."
                                : message);
        body.put("request_id", requestIdOf(0));
        return body;
    }

    @Override
    void rateLimitHeaders(Headers headers, String model) {
        headers.set("anthropic-ratelimit-requests-limit", String.valueOf(RATE_LIMIT_REQUESTS));
        headers.set("anthropic-ratelimit-requests-remaining", "0");
        headers.set(
                "anthropic-ratelimit-requests-reset",
                config.clock().instant().plusSeconds(config.retryAfterSeconds()).toString());
    }

    @Override
    ObjectNode answer(HttpExchange exchange, JsonNode body, String model, long seq, FaultKind spoiled)
            throws InvalidRequest {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidRequest("messages: at least one message is required");
        }
        if (!body.path("max_tokens").canConvertToLong()
                || body.path("max_tokens").asLong() < 1) {
            throw new InvalidRequest("max_tokens: Field required");
        }
        List<String> contents = new ArrayList<>();
        JsonNode system = body.get("system");
        String systemPrompt = system == null || system.isNull() ? null : contentText(system);
        if (systemPrompt != null) {
            contents.add(systemPrompt);
        }
        for (JsonNode message : messages) {
            contents.add(contentText(message.get("content")));
        }
        String prompt = String.join("\n", contents);
        long maxTokens = body.get("max_tokens").asLong();
        JsonNode forcedTool = forcedTool(body);

        long promptTokens = TokenRules.promptTokens(contents);
        long cacheRead = 0;
        long cacheWrite = 0;
        if (systemPrompt != null
                && asksForCaching(system)
                && TokenRules.messageTokens(systemPrompt) >= TokenRules.CACHE_MINIMUM_TOKENS) {
            if (seenBefore(model, systemPrompt)) {
                cacheRead = TokenRules.messageTokens(systemPrompt);
            } else {
                cacheWrite = TokenRules.messageTokens(systemPrompt);
            }
        }
        long reasoning = TokenRules.reasoningTokens(model, promptTokens);

        ObjectNode response = HttpReplies.JSON.createObjectNode();
        response.put("id", "msg_sim" + String.format("%08d", seq));
        response.put("type", "message");
        response.put("role", "assistant");
        response.put("model", model);
        ArrayNode content = response.putArray("content");
        String stopReason;
        long visibleTokens;
        if (forcedTool != null && (spoiled == null || spoiled == FaultKind.OFF_SCHEMA)) {
            JsonNode input = spoiled == FaultKind.OFF_SCHEMA
                    ? AnswerFaults.offSchema()
                    : AnswerRules.jsonAnswer(forcedTool.get("input_schema"), prompt);
            content.addObject()
                    .put("type", "tool_use")
                    .put("id", "toolu_sim" + String.format("%08d", seq))
                    .put("name", forcedTool.path("name").asText())
                    .set("input", input);
            stopReason = "tool_use";
            visibleTokens = TokenRules.textTokens(OpenAiChatEndpoint.json(input));
        } else {
            // a spoiled structured answer comes back as text, as a model that ignores the forced tool answers
            AnswerFaults.Spoiled given = AnswerFaults.spoil(spoiled, AnswerRules.textAnswer(model, prompt));
            String answer = given.text();
            stopReason = given.truncated() ? "max_tokens" : "end_turn";
            if (TokenRules.textTokens(answer) > maxTokens) {
                answer = answer.substring(0, (int) Math.min(answer.length(), maxTokens * 4));
                stopReason = "max_tokens";
            }
            content.addObject().put("type", "text").put("text", answer);
            visibleTokens = TokenRules.textTokens(answer);
        }
        response.put("stop_reason", stopReason);
        response.putNull("stop_sequence");
        ObjectNode usage = response.putObject("usage");
        usage.put("input_tokens", promptTokens - cacheRead - cacheWrite);
        usage.put("cache_creation_input_tokens", cacheWrite);
        usage.put("cache_read_input_tokens", cacheRead);
        // extended thinking is billed inside output_tokens and not reported apart
        usage.put("output_tokens", visibleTokens + reasoning);
        usage.put("service_tier", "standard");

        Headers headers = exchange.getResponseHeaders();
        long requestsSoFar = stats.snapshot().requests(model);
        headers.set("anthropic-ratelimit-requests-limit", String.valueOf(RATE_LIMIT_REQUESTS));
        headers.set(
                "anthropic-ratelimit-requests-remaining",
                String.valueOf(RATE_LIMIT_REQUESTS - 1 - (requestsSoFar - 1) % RATE_LIMIT_REQUESTS));
        headers.set(
                "anthropic-ratelimit-requests-reset",
                config.clock().instant().plusSeconds(60).toString());
        return response;
    }

    private static JsonNode forcedTool(JsonNode body) {
        JsonNode choice = body.path("tool_choice");
        if (!"tool".equals(choice.path("type").asText())) {
            return null;
        }
        String name = choice.path("name").asText();
        for (JsonNode tool : body.path("tools")) {
            if (name.equals(tool.path("name").asText())) {
                return tool;
            }
        }
        return null;
    }

    private static boolean asksForCaching(JsonNode system) {
        if (system.isArray()) {
            for (JsonNode block : system) {
                if (block.has("cache_control")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String requestIdOf(long seq) {
        return "req_sim_" + Long.toHexString(0x100000L + seq);
    }
}
