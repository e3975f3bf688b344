package io.aiops.worker;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the worker's AI-call spans go ({@code aiops.tracing.*}, docs/tracing.md): off unless an OTLP endpoint is set
 * here or by the standard {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_ENDPOINT} variables.
 * {@code otlpEndpoint} is the full URL spans are posted to (OTLP over HTTP, protobuf), e.g.
 * {@code http://collector:4318/v1/traces}; {@code headers} are sent with every export (a collector's credentials);
 * {@code exportDelay} is how long finished spans wait to be sent in one batch.
 */
@ConfigurationProperties("aiops.tracing")
public record TracingProperties(
        URI otlpEndpoint,
        Map<String, String> headers,
        @DefaultValue("5s") Duration exportDelay) {

    public TracingProperties {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        exportDelay = exportDelay == null ? Duration.ofSeconds(5) : exportDelay;
    }
}
