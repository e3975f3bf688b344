package io.aiops.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request flow every simulated wire format shares: read the body, find the model, count the request, check the
 * key, add latency, inject the planned fault, else answer. Each format supplies its paths, error shape and answer.
 */
abstract class CompletionEndpoint {

    /** What went wrong, mapped by each format onto its own error body. */
    enum Problem {
        INVALID_REQUEST,
        AUTHENTICATION,
        METHOD_NOT_ALLOWED,
        RATE_LIMIT,
        QUOTA,
        SERVER,
        OVERLOADED
    }

    /** A request the format cannot answer; sent back as HTTP 400 in the format's error shape. */
    static final class InvalidRequest extends Exception {
        InvalidRequest(String message) {
            super(message);
        }
    }

    private static final int MAX_REMEMBERED_SYSTEM_PROMPTS = 10_000;

    protected final SimulatorConfig config;
    protected final LatencyPlan latency;
    protected final StatsCounter stats;
    private final FaultPlan faults;
    private final CountDownLatch closing;
    private final AtomicLong sequence;
    private final Set<String> seenSystemPrompts = ConcurrentHashMap.newKeySet();

    CompletionEndpoint(
            SimulatorConfig config,
            FaultPlan faults,
            LatencyPlan latency,
            StatsCounter stats,
            CountDownLatch closing,
            AtomicLong sequence) {
        this.config = config;
        this.faults = faults;
        this.latency = latency;
        this.stats = stats;
        this.closing = closing;
        this.sequence = sequence;
    }

    /** True when this format answers requests to {@code path}. */
    abstract boolean serves(String path);

    /** The requested model from the path or body, or null when the request names none. */
    abstract String modelOf(String path, JsonNode body);

    /** True when the headers carry {@code requiredKey} the way this format sends keys. */
    abstract boolean authorised(Headers headers, String requiredKey);

    /** Sets the format's request-id header, if it has one. */
    abstract void requestId(Headers headers, long seq);

    /** The format's error body for a problem. */
    abstract ObjectNode errorBody(int status, Problem problem, String message);

    /** The rate-limit headers the format sends with a 429 besides {@code retry-after}. */
    abstract void rateLimitHeaders(Headers headers, String model);

    /** The answer body (headers may be set on the exchange); throws for requests the format does not accept. */
    /** The answer in the format's shape; {@code spoiled} (null: none) is a fault in the answer to apply. */
    abstract ObjectNode answer(HttpExchange exchange, JsonNode body, String model, long seq, FaultKind spoiled)
            throws InvalidRequest;

    final void handle(HttpExchange exchange) throws IOException, InterruptedException {
        long seq = sequence.incrementAndGet();
        requestId(exchange.getResponseHeaders(), seq);
        if (!"POST".equals(exchange.getRequestMethod())) {
            sendError(
                    exchange,
                    405,
                    Problem.METHOD_NOT_ALLOWED,
                    "Use POST for " + exchange.getRequestURI().getPath());
            return;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = HttpReplies.JSON.readTree(in);
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            stats.request("(unreadable)");
            sendError(exchange, 400, Problem.INVALID_REQUEST, "We could not parse the JSON body of your request.");
            return;
        }
        String model = modelOf(exchange.getRequestURI().getPath(), body);
        if (model == null) {
            stats.request("(unreadable)");
            sendError(exchange, 400, Problem.INVALID_REQUEST, "you must provide a model parameter");
            return;
        }
        stats.request(model);
        String required = config.apiKey();
        if (required != null && !required.isEmpty() && !authorised(exchange.getRequestHeaders(), required)) {
            sendError(exchange, 401, Problem.AUTHENTICATION, "Incorrect API key provided.");
            return;
        }
        Duration delay = latency.latencyFor(model);
        if (!delay.isZero()) {
            Thread.sleep(delay);
        }
        Optional<FaultKind> fault = faults.decide(model);
        if (fault.isPresent()) {
            stats.fault(model, fault.get());
        }
        if (fault.isPresent() && !fault.get().inAnswer()) {
            sendFault(exchange, fault.get(), body, model, seq);
            return;
        }
        try {
            HttpReplies.json(exchange, 200, answer(exchange, body, model, seq, fault.orElse(null)));
        } catch (InvalidRequest e) {
            sendError(exchange, 400, Problem.INVALID_REQUEST, e.getMessage());
        }
    }

    final void sendError(HttpExchange exchange, int status, Problem problem, String message) throws IOException {
        HttpReplies.json(exchange, status, errorBody(status, problem, message));
    }

    /**
     * Cached tokens of a request with this system prompt: {@link TokenRules#cachedTokens} of whether the same model saw
     * the identical prompt before (the prompt is remembered from now on).
     */
    final long cachedTokens(String model, String systemPrompt) {
        if (systemPrompt == null) {
            return 0;
        }
        long systemTokens = TokenRules.messageTokens(systemPrompt);
        if (systemTokens < TokenRules.CACHE_MINIMUM_TOKENS) {
            return 0;
        }
        return TokenRules.cachedTokens(systemTokens, seenBefore(model, systemPrompt));
    }

    /** Whether {@code model} received this system prompt before; remembers it from now on. */
    final boolean seenBefore(String model, String systemPrompt) {
        String key = AnswerRules.sha256Hex(model + "\u0000" + systemPrompt);
        if (seenSystemPrompts.size() >= MAX_REMEMBERED_SYSTEM_PROMPTS && !seenSystemPrompts.contains(key)) {
            // bounded memory for long runs: forgetting only costs a cache miss
            seenSystemPrompts.clear();
        }
        return !seenSystemPrompts.add(key);
    }

    private void sendFault(HttpExchange exchange, FaultKind kind, JsonNode body, String model, long seq)
            throws IOException, InterruptedException {
        Headers headers = exchange.getResponseHeaders();
        switch (kind) {
            case RATE_LIMIT -> {
                headers.set("retry-after", String.valueOf(config.retryAfterSeconds()));
                rateLimitHeaders(headers, model);
                sendError(
                        exchange,
                        429,
                        Problem.RATE_LIMIT,
                        "Rate limit reached for " + model
                                + " on requests per min (RPM): Limit " + OpenAiChatEndpoint.RATE_LIMIT_REQUESTS
                                + ". Please try again in " + config.retryAfterSeconds() + "s.");
            }
            case INSUFFICIENT_QUOTA ->
                sendError(
                        exchange,
                        429,
                        Problem.QUOTA,
                        "You exceeded your current quota, please check your plan and billing details.");
            case SERVER_ERROR ->
                sendError(
                        exchange,
                        500,
                        Problem.SERVER,
                        "The server had an error while processing your request. Sorry about that!");
            case OVERLOADED ->
                sendError(exchange, 503, Problem.OVERLOADED, "The model is overloaded. Please try again later.");
            case OVERLOADED_529 -> sendError(exchange, 529, Problem.OVERLOADED, "Overloaded");
            case BAD_REQUEST ->
                sendError(
                        exchange,
                        400,
                        Problem.INVALID_REQUEST,
                        "The request was rejected: the prompt violates the simulated provider's usage policy.");
            case MALFORMED ->
                HttpReplies.bytes(
                        exchange,
                        200,
                        ("{\"id\":\"sim-" + seq + "\",\"model\":\"" + model + "\",answer: <unavailable>}")
                                .getBytes(StandardCharsets.UTF_8));
            case TRUNCATED -> {
                byte[] full;
                try {
                    full = HttpReplies.JSON.writeValueAsBytes(answer(exchange, body, model, seq, null));
                } catch (InvalidRequest e) {
                    sendError(exchange, 400, Problem.INVALID_REQUEST, e.getMessage());
                    return;
                }
                // the length header matches what is sent: the HTTP exchange is complete, only the JSON is cut
                HttpReplies.bytes(exchange, 200, Arrays.copyOf(full, full.length / 2));
            }
            case TIMEOUT -> {
                // hold without answering until the client has given up; closing the simulator releases the hold
                closing.await(config.timeoutHold().toMillis(), TimeUnit.MILLISECONDS);
                exchange.close();
            }
            // closing before any status line is sent drops the connection
            case DROP -> exchange.close();
            case REFUSAL, INVALID_JSON, OFF_SCHEMA, WRONG_CATEGORY, CUT_OFF ->
                throw new IllegalStateException(kind + " is sent as an answer");
        }
    }

    /** The text of a message content that is a string or an array of parts carrying {@code text}. */
    static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.has("text")) {
                    if (!text.isEmpty()) {
                        text.append('\n');
                    }
                    text.append(part.get("text").asText());
                }
            }
            return text.toString();
        }
        return content.toString();
    }
}
