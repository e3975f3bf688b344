package io.aiops.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model-provider stand-in speaking OpenAI Chat Completions ({@code /v1/chat/completions}), Anthropic Messages
 * ({@code /v1/messages}) and Gemini generateContent ({@code /v1beta/models/{model}:generateContent}) with
 * deterministic answers and token counts ({@link AnswerRules}, {@link TokenRules}), configurable latency and
 * injectable faults. Run it with
 * {@code java -jar provider-simulator-exec.jar --port 8089}, or embed it with {@link #start(SimulatorConfig)}; the
 * returned instance is the handle to the running server.
 */
public final class ProviderSimulator implements AutoCloseable {

    private final SimulatorConfig config;
    private final HttpServer server;
    private final ExecutorService executor;
    private final FaultPlan faults;
    private final LatencyPlan latency;
    private final StatsCounter stats = new StatsCounter();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<CompletionEndpoint> endpoints;
    private final AdminEndpoint admin;

    private ProviderSimulator(SimulatorConfig config) throws IOException {
        this.config = config;
        this.faults = new FaultPlan(config.seed(), config.faults(), config.clock());
        this.latency = new LatencyPlan(config.latency(), config.modelLatency());
        // one request sequence across formats keeps ids unique per simulator
        AtomicLong sequence = new AtomicLong();
        this.endpoints = List.of(
                new OpenAiChatEndpoint(config, faults, latency, stats, closing, sequence),
                new AnthropicMessagesEndpoint(config, faults, latency, stats, closing, sequence),
                new GeminiGenerateContentEndpoint(config, faults, latency, stats, closing, sequence));
        this.admin = new AdminEndpoint(faults, latency, stats);
        this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::route);
    }

    /** Starts a simulator; close it to stop it and release held requests. */
    public static ProviderSimulator start(SimulatorConfig config) {
        try {
            ProviderSimulator simulator = new ProviderSimulator(config);
            simulator.server.start();
            return simulator;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), e);
        }
    }

    /** Command-line entry point; see {@link SimulatorConfig#fromArgs(String...)} for the options. */
    public static void main(String[] args) throws InterruptedException {
        SimulatorConfig config;
        try {
            config = SimulatorConfig.fromArgs(args);
        } catch (IllegalArgumentException e) {
            boolean help = "help requested".equals(e.getMessage());
            (help ? System.out : System.err).println((help ? "" : e.getMessage() + "\n") + SimulatorConfig.USAGE);
            System.exit(help ? 0 : 2);
            return;
        }
        ProviderSimulator simulator = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "provider-simulator-shutdown"));
        System.out.println("provider-simulator listening on " + simulator.baseUri() + " (OpenAI base URL "
                + simulator.openAiBaseUri() + ", faults "
                + simulator.faults().rules().stream().map(FaultRule::spec).toList()
                + ")");
        simulator.closing.await();
    }

    /** The port the server listens on (the bound one when the config asked for 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * {@code http://host:port}, the root of the server and the base URL an Anthropic or Gemini client is configured
     * with (they add {@code /v1/messages} and {@code /v1beta/models/..} themselves).
     */
    public URI baseUri() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    /** {@code http://host:port/v1}, the base URL an OpenAI client is configured with. */
    public URI openAiBaseUri() {
        return URI.create(baseUri() + "/v1");
    }

    /** The fault plan, changeable while running. */
    public FaultPlan faults() {
        return faults;
    }

    /** The latency plan, changeable while running. */
    public LatencyPlan latency() {
        return latency;
    }

    /** What reached the simulator so far. */
    public SimulatorStats stats() {
        return stats.snapshot();
    }

    /** Sets all counters back to zero. */
    public void resetStats() {
        stats.reset();
    }

    /** The settings it was started with. */
    public SimulatorConfig config() {
        return config;
    }

    /** Stops the server; requests held by a timeout fault are released and their connections closed. */
    @Override
    public void close() {
        if (closing.getCount() == 0) {
            return;
        }
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private CompletionEndpoint endpointFor(String path) {
        for (CompletionEndpoint endpoint : endpoints) {
            if (endpoint.serves(path)) {
                return endpoint;
            }
        }
        return null;
    }

    private void route(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        try {
            if (path.startsWith("/_sim/")) {
                admin.handle(exchange);
            } else if (endpointFor(path) != null) {
                endpointFor(path).handle(exchange);
            } else {
                HttpReplies.openAiError(
                        exchange,
                        404,
                        "Invalid URL (" + exchange.getRequestMethod() + " " + path + ")",
                        "invalid_request_error",
                        "unknown_url");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away; nothing left to answer
        } catch (RuntimeException e) {
            try {
                HttpReplies.openAiError(exchange, 500, "simulator failure: " + e, "server_error", null);
            } catch (IOException | RuntimeException ignored) {
                // headers were already sent; closing the exchange is all that is left
            }
        } finally {
            exchange.close();
        }
    }
}
