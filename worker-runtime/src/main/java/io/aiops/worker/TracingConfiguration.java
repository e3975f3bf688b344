package io.aiops.worker;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The OpenTelemetry the AI-call pipeline traces with: an SDK sending spans over OTLP when an endpoint is configured
 * ({@link TracingProperties}) or a {@link SpanExporter} bean is declared, else {@link OpenTelemetry#noop()}, which
 * records nothing, starts no thread and sends no trace id to the ledger.
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TracingConfiguration.class);

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    /** Closed with the context (inferred {@code close}): the SDK sends the spans still waiting. */
    @Bean
    OpenTelemetry aiCallOpenTelemetry(
            TracingProperties tracing, Environment environment, ObjectProvider<SpanExporter> exporterBeans) {
        URI endpoint = otlpEndpoint(tracing, environment);
        List<SpanExporter> exporters =
                new ArrayList<>(exporterBeans.orderedStream().toList());
        if (endpoint != null) {
            exporters.add(otlp(endpoint, tracing));
        }
        if (exporters.isEmpty()) {
            LOG.info("Tracing is off: no aiops.tracing.otlp-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT set");
            return OpenTelemetry.noop();
        }
        String serviceName = environment.getProperty(
                "OTEL_SERVICE_NAME", environment.getProperty("spring.application.name", "aiops-worker-runtime"));
        LOG.info("Tracing AI calls as service {} to {}", serviceName, endpoint == null ? exporters : endpoint);
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName))))
                .addSpanProcessor(BatchSpanProcessor.builder(SpanExporter.composite(exporters))
                        .setScheduleDelay(tracing.exportDelay())
                        .build())
                .build();
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    /**
     * The URL spans are posted to: {@code aiops.tracing.otlp-endpoint}, else {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}
     * as it is, else {@code OTEL_EXPORTER_OTLP_ENDPOINT} with {@code /v1/traces} appended (as OpenTelemetry's SDKs read
     * them); null when none is set.
     */
    static URI otlpEndpoint(TracingProperties tracing, Environment environment) {
        if (tracing.otlpEndpoint() != null && !tracing.otlpEndpoint().toString().isBlank()) {
            return tracing.otlpEndpoint();
        }
        String traces = environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "");
        if (!traces.isBlank()) {
            return URI.create(traces.trim());
        }
        String base = environment.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT", "").trim();
        if (!base.isBlank()) {
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces");
        }
        return null;
    }

    private static SpanExporter otlp(URI endpoint, TracingProperties tracing) {
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString());
        tracing.headers().forEach(exporter::addHeader);
        return exporter.build();
    }
}
