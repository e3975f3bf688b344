package io.aiops.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;

/**
 * Tracing in the worker is off unless configured; configured, spans reach an OTLP receiver (a local HTTP server that
 * keeps what it is sent) with the configured headers.
 */
class TracingConfigurationTest {

    /** One OTLP export as the receiver got it. */
    record Export(String path, String contentType, String authorization, byte[] body) {}

    private final List<Export> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(new Export(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void withoutAnEndpointNothingIsTracedAndNoSdkIsStarted() {
        OpenTelemetry tracing = openTelemetry(new TracingProperties(null, null, null), new MockEnvironment());

        Span span = tracing.getTracer("test").spanBuilder("chat gpt-4o-mini").startSpan();

        assertThat(tracing).isNotInstanceOf(OpenTelemetrySdk.class);
        assertThat(span.isRecording()).isFalse();
        assertThat(span.getSpanContext().isValid()).isFalse();
    }

    @Test
    void theConfiguredEndpointReceivesTheSpansWithTheConfiguredHeaders() {
        URI endpoint = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces");
        OpenTelemetry tracing = openTelemetry(
                new TracingProperties(endpoint, Map.of("Authorization", "Bearer collector-key"), Duration.ofSeconds(5)),
                new MockEnvironment());

        String traceId = exportOneSpan(tracing);

        assertThat(received).singleElement().satisfies(export -> {
            assertThat(export.path()).isEqualTo("/v1/traces");
            assertThat(export.contentType()).isEqualTo("application/x-protobuf");
            assertThat(export.authorization()).isEqualTo("Bearer collector-key");
            assertThat(contains(export.body(), HexFormat.of().parseHex(traceId)))
                    .as("the trace id in the export")
                    .isTrue();
            assertThat(contains(export.body(), "chat gpt-4o-mini".getBytes()))
                    .as("the span name in the export")
                    .isTrue();
        });
    }

    @Test
    void theStandardOtelEndpointVariableIsTheBaseTheTracesPathIsAddedTo() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/");

        exportOneSpan(openTelemetry(new TracingProperties(null, null, Duration.ofSeconds(5)), environment));

        assertThat(received).extracting(Export::path).containsExactly("/v1/traces");
    }

    @Test
    void theTracesEndpointVariableIsTakenAsItIsAndThePropertyWinsOverBoth() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces.example:4318/custom")
                .withProperty("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base.example:4318");
        TracingProperties none = new TracingProperties(null, null, null);
        TracingProperties property = new TracingProperties(URI.create("http://mine.example/v1/traces"), null, null);

        assertThat(TracingConfiguration.otlpEndpoint(none, environment))
                .isEqualTo(URI.create("http://traces.example:4318/custom"));
        assertThat(TracingConfiguration.otlpEndpoint(property, environment))
                .isEqualTo(URI.create("http://mine.example/v1/traces"));
    }

    private static OpenTelemetry openTelemetry(TracingProperties properties, MockEnvironment environment) {
        return new TracingConfiguration()
                .aiCallOpenTelemetry(
                        properties, environment, new StaticListableBeanFactory().getBeanProvider(SpanExporter.class));
    }

    /** Ends one span and closes the SDK, which sends what waits in its batch; returns the span's trace id. */
    private static String exportOneSpan(OpenTelemetry tracing) {
        assertThat(tracing).isInstanceOf(OpenTelemetrySdk.class);
        Span span = tracing.getTracer("test").spanBuilder("chat gpt-4o-mini").startSpan();
        span.end();
        ((OpenTelemetrySdk) tracing).shutdown().join(10, TimeUnit.SECONDS);
        return span.getSpanContext().getTraceId();
    }

    /** Whether {@code bytes} holds {@code part}, byte for byte (Latin-1 maps every byte to one char). */
    private static boolean contains(byte[] bytes, byte[] part) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(new String(part, StandardCharsets.ISO_8859_1));
    }
}
