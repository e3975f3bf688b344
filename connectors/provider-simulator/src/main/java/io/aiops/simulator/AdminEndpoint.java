package io.aiops.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The control API under {@code /_sim}: {@code GET|POST|DELETE /_sim/faults}, {@code GET|DELETE /_sim/stats},
 * {@code POST|DELETE /_sim/latency} and {@code GET /_sim/health}.
 *
 * <p>{@code POST /_sim/faults} takes one rule or an array of rules (or {@code {"faults":[..]}}); a rule is
 * {@code {"spec":"*:429@50%"}} or {@code {"model":"gpt-4o-mini","kind":"503","count":2}} /
 * {@code {"model":"*","kind":"429","ratePercent":50}} /
 * {@code {"model":"*","kind":"503","from":"2026-11-26T10:00:00Z","until":"2026-11-26T10:05:00Z"}}; {@code ?replace=true} clears the current rules first.
 * {@code POST /_sim/latency} takes {@code {"model":"*","ms":100}}.
 */
final class AdminEndpoint {

    private final FaultPlan faults;
    private final LatencyPlan latency;
    private final StatsCounter stats;

    AdminEndpoint(FaultPlan faults, LatencyPlan latency, StatsCounter stats) {
        this.faults = faults;
        this.latency = latency;
        this.stats = stats;
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        try {
            switch (path.replaceAll("/+$", "")) {
                case "/_sim/health" -> HttpReplies.json(exchange, 200, Map.of("status", "UP"));
                case "/_sim/stats" -> {
                    if (method.equals("DELETE")) {
                        stats.reset();
                        HttpReplies.noContent(exchange);
                    } else {
                        HttpReplies.json(exchange, 200, stats.snapshot());
                    }
                }
                case "/_sim/faults" -> {
                    switch (method) {
                        case "GET" -> HttpReplies.json(exchange, 200, describe(faults.rules()));
                        case "DELETE" -> {
                            faults.clear();
                            HttpReplies.noContent(exchange);
                        }
                        case "POST" -> {
                            List<FaultRule> rules = parseRules(readBody(exchange));
                            String query = exchange.getRequestURI().getQuery();
                            if (query != null && query.contains("replace=true")) {
                                faults.clear();
                            }
                            rules.forEach(faults::add);
                            HttpReplies.json(exchange, 200, describe(faults.rules()));
                        }
                        default -> notAllowed(exchange);
                    }
                }
                case "/_sim/latency" -> {
                    switch (method) {
                        case "POST" -> {
                            JsonNode body = readBody(exchange);
                            latency.set(
                                    body.path("model").asText("*"),
                                    Duration.ofMillis(body.path("ms").asLong(0)));
                            HttpReplies.noContent(exchange);
                        }
                        case "DELETE" -> {
                            latency.reset();
                            HttpReplies.noContent(exchange);
                        }
                        default -> notAllowed(exchange);
                    }
                }
                default ->
                    HttpReplies.openAiError(
                            exchange, 404, "Unknown simulator path " + path, "invalid_request_error", "unknown_url");
            }
        } catch (IllegalArgumentException e) {
            HttpReplies.openAiError(exchange, 400, e.getMessage(), "invalid_request_error", null);
        }
    }

    private static void notAllowed(HttpExchange exchange) throws IOException {
        HttpReplies.openAiError(exchange, 405, "Method not allowed", "invalid_request_error", "method_not_allowed");
    }

    private static JsonNode readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode node = HttpReplies.JSON.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("a JSON body is required");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static List<FaultRule> parseRules(JsonNode body) {
        JsonNode list = body.isObject() && body.has("faults") ? body.get("faults") : body;
        List<FaultRule> rules = new ArrayList<>();
        if (list.isArray()) {
            list.forEach(node -> rules.add(parseRule(node)));
        } else {
            rules.add(parseRule(list));
        }
        return rules;
    }

    private static FaultRule parseRule(JsonNode node) {
        if (node.isTextual()) {
            return FaultRule.parse(node.asText());
        }
        if (node.has("spec")) {
            return FaultRule.parse(node.get("spec").asText());
        }
        if (!node.has("kind")) {
            throw new IllegalArgumentException("a fault needs 'spec' or 'kind'");
        }
        String model = node.path("model").asText("*");
        FaultKind kind = FaultKind.fromToken(node.get("kind").asText());
        String mode = node.path("mode")
                .asText(
                        node.has("count")
                                ? "next"
                                : node.has("ratePercent") ? "rate" : node.has("from") ? "window" : "always");
        return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "always" -> FaultRule.always(model, kind);
            case "next", "next_n" ->
                FaultRule.next(model, kind, node.path("count").asInt(1));
            case "rate" ->
                FaultRule.atRate(model, kind, node.path("ratePercent").asDouble());
            case "window" -> FaultRule.during(model, kind, instant(node, "from"), instant(node, "until"));
            default ->
                throw new IllegalArgumentException("unknown fault mode '" + mode + "' (always, next, rate, window)");
        };
    }

    private static java.time.Instant instant(JsonNode node, String field) {
        try {
            return java.time.Instant.parse(node.path(field).asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + field + "' must be an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        }
    }

    private static ArrayNode describe(List<FaultRule> rules) {
        ArrayNode array = HttpReplies.JSON.createArrayNode();
        for (FaultRule rule : rules) {
            ObjectNode node = array.addObject();
            node.put("spec", rule.spec());
            node.put("model", rule.modelPattern());
            node.put("kind", rule.kind().token());
            node.put("mode", rule.mode().name());
            if (rule.mode() == FaultRule.Mode.NEXT_N) {
                node.put("remaining", rule.count());
            }
            if (rule.mode() == FaultRule.Mode.RATE) {
                node.put("ratePercent", rule.ratePercent());
            }
            if (rule.mode() == FaultRule.Mode.WINDOW) {
                node.put("from", rule.from().toString());
                node.put("until", rule.until().toString());
            }
        }
        return array;
    }
}
