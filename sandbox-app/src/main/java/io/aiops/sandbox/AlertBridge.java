package io.aiops.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aiops.policy.api.PolicyClient;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.PublishMessageResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the stack posts out of itself, received on one local port: the policy server's Zeebe message publications
 * ({@code POST /v2/messages/publication}, the orchestration cluster's REST call), forwarded to the embedded engine over
 * gRPC since that engine has no REST API; and the budget incident notices the worker sends ({@code POST /notices},
 * {@code {"text": …}}), kept and shown. So an alert rule naming a Zeebe message starts its process in the sandbox as it
 * would on a cluster.
 */
public final class AlertBridge implements AutoCloseable {

    private final HttpServer server;
    private final CamundaClient zeebe;
    private final Consumer<String> log;
    private final List<Map<String, Object>> published = new CopyOnWriteArrayList<>();
    private final List<String> notices = new CopyOnWriteArrayList<>();

    private AlertBridge(HttpServer server, CamundaClient zeebe, Consumer<String> log) {
        this.server = server;
        this.zeebe = zeebe;
        this.log = log;
    }

    /** Starts on a free loopback port; publications go to {@code engine}, a line per message or notice to {@code log}. */
    public static AlertBridge start(EmbeddedZeebe engine, Consumer<String> log) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AlertBridge bridge = new AlertBridge(server, engine.newClient(), log);
        server.createContext("/v2/messages/publication", bridge::publish);
        server.createContext("/notices", bridge::notice);
        server.start();
        return bridge;
    }

    /** The base address, for the policy server's {@code aiops.alerts.zeebe.rest-address}. */
    public URI restAddress() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Where the worker posts incident notices ({@code aiops.budget-raise.notify-url}). */
    public URI noticesUrl() {
        return restAddress().resolve("/notices");
    }

    /** The publications forwarded so far (their JSON bodies as read). */
    public List<Map<String, Object>> published() {
        return List.copyOf(published);
    }

    /** The notice texts received so far. */
    public List<String> notices() {
        return List.copyOf(notices);
    }

    private void publish(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            JsonNode body = PolicyClient.JSON.readTree(exchange.getRequestBody());
            String name = body.path("name").asText(null);
            if (name == null || name.isBlank()) {
                answer(exchange, 400, "{\"title\":\"name is required\"}");
                return;
            }
            var command = zeebe.newPublishMessageCommand()
                    .messageName(name)
                    .correlationKey(body.path("correlationKey").asText(""))
                    .timeToLive(Duration.ofMillis(body.path("timeToLive").asLong(0)));
            if (body.hasNonNull("messageId")) {
                command = command.messageId(body.get("messageId").asText());
            }
            if (body.path("variables").isObject()) {
                command = command.variables(PolicyClient.JSON.writeValueAsString(body.get("variables")));
            }
            PublishMessageResponse response = command.send().join();
            @SuppressWarnings("unchecked")
            Map<String, Object> asMap = PolicyClient.JSON.convertValue(body, Map.class);
            published.add(asMap);
            log.accept("message " + name + " (correlation key "
                    + body.path("correlationKey").asText() + ") published");
            answer(exchange, 200, "{\"key\":\"" + response.getMessageKey() + "\"}");
        } catch (RuntimeException e) {
            log.accept("message publication failed: " + e.getMessage());
            answer(exchange, 500, "{\"title\":\"publication failed\"}");
        }
    }

    private void notice(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = PolicyClient.JSON.readTree(exchange.getRequestBody());
            String text = body.path("text").asText("");
            notices.add(text);
            log.accept("notice: " + text);
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        zeebe.close();
    }
}
