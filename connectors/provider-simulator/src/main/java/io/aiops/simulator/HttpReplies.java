package io.aiops.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing JSON responses, in OpenAI's error shape where the response is an error. */
final class HttpReplies {

    static final ObjectMapper JSON = new ObjectMapper();

    private HttpReplies() {}

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        bytes(exchange, status, JSON.writeValueAsBytes(body));
    }

    static void bytes(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void noContent(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /** {@code {"error":{"message":..,"type":..,"param":null,"code":..}}} as OpenAI sends it. */
    static ObjectNode openAiError(String message, String type, String code) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return body;
    }

    static void openAiError(HttpExchange exchange, int status, String message, String type, String code)
            throws IOException {
        json(exchange, status, openAiError(message, type, code));
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
