package io.aiops.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves Gemini {@code generateContent} ({@code POST /v1beta/models/{model}:generateContent}, key in
 * {@code x-goog-api-key}) with the answers of {@link AnswerRules} and the token arithmetic of {@link TokenRules},
 * reported the Gemini way: {@code promptTokenCount} includes {@code cachedContentTokenCount}; reasoning models report
 * {@code thoughtsTokenCount} outside {@code candidatesTokenCount}. Errors carry {@code google.rpc} details
 * ({@code RetryInfo} on 429, a per-day {@code QuotaFailure} for an exhausted quota).
 */
final class GeminiGenerateContentEndpoint extends CompletionEndpoint {

    private static final Pattern PATH = Pattern.compile("/v1(?:beta|alpha)?/models/([^/:]+):generateContent");

    GeminiGenerateContentEndpoint(
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
        return PATH.matcher(path).matches();
    }

    @Override
    String modelOf(String path, JsonNode body) {
        Matcher m = PATH.matcher(path);
        return m.matches() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
    }

    @Override
    boolean authorised(Headers headers, String requiredKey) {
        return requiredKey.equals(headers.getFirst("x-goog-api-key"));
    }

    @Override
    void requestId(Headers headers, long seq) {
        // Gemini sends no request id header
    }

    @Override
    ObjectNode errorBody(int status, Problem problem, String message) {
        String grpcStatus = switch (problem) {
            case INVALID_REQUEST, METHOD_NOT_ALLOWED -> "INVALID_ARGUMENT";
            case AUTHENTICATION -> "UNAUTHENTICATED";
            case RATE_LIMIT, QUOTA -> "RESOURCE_EXHAUSTED";
            case SERVER -> "INTERNAL";
            case OVERLOADED -> "UNAVAILABLE";
        };
        ObjectNode body = HttpReplies.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status);
        error.put("message", message);
        error.put("status", grpcStatus);
        if (problem == Problem.RATE_LIMIT || problem == Problem.QUOTA) {
            ArrayNode details = error.putArray("details");
            ObjectNode violation = details.addObject()
                    .put("@type", "type.googleapis.com/google.rpc.QuotaFailure")
                    .putArray("violations")
                    .addObject();
            violation.put("quotaMetric", "generativelanguage.googleapis.com/generate_content_requests");
            violation.put(
                    "quotaId",
                    problem == Problem.QUOTA
                            ? "GenerateRequestsPerDayPerProjectPerModel"
                            : "GenerateRequestsPerMinutePerProjectPerModel");
            details.addObject()
                    .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                    .put("retryDelay", config.retryAfterSeconds() + "s");
        }
        return body;
    }

    @Override
    void rateLimitHeaders(Headers headers, String model) {
        // Gemini names the wait in the body's RetryInfo only
        headers.remove("retry-after");
    }

    @Override
    ObjectNode answer(HttpExchange exchange, JsonNode body, String model, long seq, FaultKind spoiled)
            throws InvalidRequest {
        JsonNode turns = body.get("contents");
        if (turns == null || !turns.isArray() || turns.isEmpty()) {
            throw new InvalidRequest("* GenerateContentRequest.contents: contents is not specified");
        }
        List<String> contents = new ArrayList<>();
        JsonNode instruction = body.get("systemInstruction");
        String systemPrompt = instruction == null ? null : contentText(instruction.get("parts"));
        if (systemPrompt != null) {
            contents.add(systemPrompt);
        }
        for (JsonNode turn : turns) {
            contents.add(contentText(turn.get("parts")));
        }
        String prompt = String.join("\n", contents);
        JsonNode generation = body.path("generationConfig");
        JsonNode schema = generation.has("responseJsonSchema")
                ? generation.get("responseJsonSchema")
                : generation.get("responseSchema");
        String answer;
        if (schema != null) {
            answer = OpenAiChatEndpoint.json(AnswerRules.jsonAnswer(schema, prompt));
        } else if ("application/json".equals(generation.path("responseMimeType").asText())) {
            ObjectNode object = HttpReplies.JSON.createObjectNode();
            object.put("answer", AnswerRules.textAnswer(model, prompt));
            answer = OpenAiChatEndpoint.json(object);
        } else {
            answer = AnswerRules.textAnswer(model, prompt);
        }
        AnswerFaults.Spoiled given = AnswerFaults.spoil(spoiled, answer);
        answer = given.text();
        String finishReason = given.truncated() ? "MAX_TOKENS" : "STOP";
        long maxTokens = generation.path("maxOutputTokens").asLong(0);
        if (maxTokens > 0 && TokenRules.textTokens(answer) > maxTokens) {
            answer = answer.substring(0, (int) Math.min(answer.length(), maxTokens * 4));
            finishReason = "MAX_TOKENS";
        }
        long promptTokens = TokenRules.promptTokens(contents);
        long cached = cachedTokens(model, systemPrompt);
        long thoughts = TokenRules.reasoningTokens(model, promptTokens);
        long candidatesTokens = TokenRules.textTokens(answer);

        ObjectNode response = HttpReplies.JSON.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.put("role", "model");
        content.putArray("parts").addObject().put("text", answer);
        candidate.put("finishReason", finishReason);
        candidate.put("index", 0);
        ObjectNode usage = response.putObject("usageMetadata");
        usage.put("promptTokenCount", promptTokens);
        usage.put("candidatesTokenCount", candidatesTokens);
        usage.put("totalTokenCount", promptTokens + candidatesTokens + thoughts);
        // like Gemini, the optional counts are left out when there are none
        if (cached > 0) {
            usage.put("cachedContentTokenCount", cached);
        }
        if (thoughts > 0) {
            usage.put("thoughtsTokenCount", thoughts);
        }
        response.put("modelVersion", model);
        response.put("responseId", "sim" + String.format("%08d", seq));
        return response;
    }
}
