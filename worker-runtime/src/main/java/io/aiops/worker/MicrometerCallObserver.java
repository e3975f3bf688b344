package io.aiops.worker;

import io.aiops.connector.pipeline.CallObserver;
import io.aiops.core.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * The worker's AI-call metrics, named after the OpenTelemetry GenAI semantic conventions where they exist:
 * {@code gen_ai.client.token.usage} (tokens per request, {@code gen_ai.token.type} input or output) and
 * {@code gen_ai.client.operation.duration} (seconds per request, {@code error.type} on failures), with
 * {@code gen_ai.operation.name}, {@code gen_ai.provider.name} and {@code gen_ai.request.model}, plus
 * {@code project}, {@code bpmn_process_id}, {@code element_id} and {@code task_kind}. Cost has no convention yet:
 * {@code gen_ai.client.cost} (USD, a counter) follows the open proposal for {@code gen_ai.usage.cost.*}
 * (open-telemetry/semantic-conventions-genai#443, from semantic-conventions#2312) with
 * {@code gen_ai.usage.cost.currency=USD} and {@code gen_ai.usage.cost.source=local} (priced from the policy service's
 * catalog). Rule checks count in {@code aiops.quality.checks} ({@code check}, {@code result}). No label ever carries a
 * process instance or a call id: their values are unbounded.
 */
final class MicrometerCallObserver implements CallObserver {

    private final MeterRegistry registry;

    MicrometerCallObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void attempt(
            Where where, String provider, String model, TokenUsage usage, Duration latency, String errorClass) {
        Tags tags = tags(where, provider, model);
        Timer.builder("gen_ai.client.operation.duration")
                .description("Duration of one request to a model provider")
                .tags(errorClass == null ? tags : tags.and("error.type", errorClass))
                .register(registry)
                .record(latency);
        if (errorClass == null) {
            tokens(tags, "input").record(usage.inputTokens());
            tokens(tags, "output").record(usage.outputTokens());
        }
    }

    @Override
    public void recorded(Where where, String provider, String model, BigDecimal costUsd) {
        Counter.builder("gen_ai.client.cost")
                .description("What the calls cost as the ledger priced them, in USD (the ledger keeps exact decimals)")
                .baseUnit("usd")
                .tags(tags(where, provider, model)
                        .and("gen_ai.usage.cost.currency", "USD")
                        .and("gen_ai.usage.cost.source", "local"))
                .register(registry)
                .increment(costUsd.doubleValue());
    }

    @Override
    public void check(Where where, String provider, String model, String check, boolean passed) {
        Counter.builder("aiops.quality.checks")
                .description("Rule checks of model answers")
                .tags(tags(where, provider, model).and("check", check).and("result", passed ? "pass" : "fail"))
                .register(registry)
                .increment();
    }

    private DistributionSummary tokens(Tags tags, String type) {
        return DistributionSummary.builder("gen_ai.client.token.usage")
                .description("Tokens of one request to a model provider")
                .baseUnit("tokens")
                .tags(tags.and("gen_ai.token.type", type))
                .register(registry);
    }

    private static Tags tags(Where where, String provider, String model) {
        return Tags.of(
                "gen_ai.operation.name", "chat",
                "gen_ai.provider.name", provider,
                "gen_ai.request.model", model,
                "project", nonNull(where.project()),
                "bpmn_process_id", nonNull(where.bpmnProcessId()),
                "element_id", nonNull(where.elementId()),
                "task_kind", nonNull(where.taskKind()));
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
