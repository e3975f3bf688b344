package io.aiops.worker;

import io.aiops.connector.AiTaskConnectorFunction;
import io.aiops.connector.failopen.FailOpen;
import io.aiops.connector.feedback.AiFeedbackConnectorFunction;
import io.aiops.connector.pipeline.AiCallPipeline;
import io.aiops.connector.pipeline.AnswerKeeper;
import io.aiops.connector.pipeline.PaidAnswer;
import io.aiops.connector.pipeline.PipelineSettings;
import io.aiops.policy.api.PolicyClient;
import io.aiops.providers.ResilienceSettings;
import io.aiops.providers.ResilientProviderCaller;
import io.camunda.client.CamundaClient;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.runtime.core.secret.SecretHandler;
import io.camunda.connector.runtime.core.secret.SecretProviderAggregator;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Maps {@link AiOpsProperties} onto the one {@link PipelineSettings} object and builds the {@link AiCallPipeline} both
 * hosts run with {@link AiCallPipeline#builder}.
 */
@Configuration(proxyBeanMethods = false)
public class PipelineConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The base the {@code aiops.resilience} / {@code aiops.providers.<name>.resilience} properties are applied to;
     * declare a bean of this type to change the built-in defaults.
     */
    @Bean
    @ConditionalOnMissingBean
    ResilienceSettings resilienceSettings() {
        return ResilienceSettings.defaults();
    }

    /**
     * The pipeline's settings from the {@code aiops.*} properties; provider API keys written as
     * {@code {{secrets.NAME}}} are resolved once, at start-up, the way the runtime resolves them in connector input.
     */
    @Bean
    PipelineSettings pipelineSettings(
            AiOpsProperties properties, ResilienceSettings base, SecretProviderAggregator secretProviders) {
        SecretHandler secrets = new SecretHandler(secretProviders);
        return properties.pipelineSettings(key -> secrets.replaceSecrets(key, new SecretContext(null)), base);
    }

    @Bean
    PolicyClient policyClient(PipelineSettings settings) {
        return settings.policyClient();
    }

    /**
     * One caller (and so one set of circuit breakers, rate limiters and bulkheads) for both hosts; its Resilience4j
     * meters ({@code resilience4j.circuitbreaker.state}, calls, retries, rate limiter and bulkhead figures, tagged by
     * {@code name = provider:model}) are bound to the registry the Prometheus endpoint serves.
     */
    @Bean
    ResilientProviderCaller resilientProviderCaller(PipelineSettings settings, Clock clock, MeterRegistry meters) {
        ResilientProviderCaller caller = new ResilientProviderCaller(settings.resilience(), clock);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(caller.circuitBreakers())
                .bindTo(meters);
        TaggedRetryMetrics.ofRetryRegistry(caller.retries()).bindTo(meters);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(caller.rateLimiters()).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(caller.bulkheads()).bindTo(meters);
        return caller;
    }

    /**
     * Reports circuit-breaker changes to the policy service; off with {@code aiops.provider-health.enabled=false}. The
     * reporter name ({@code aiops.provider-health.reporter}) defaults to the application name and process id.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "aiops.provider-health.enabled", havingValue = "true", matchIfMissing = true)
    ProviderHealthReporter providerHealthReporter(
            PolicyClient policyClient,
            ResilientProviderCaller caller,
            Clock clock,
            @Value("${aiops.provider-health.reporter:${spring.application.name:aiops-worker}-${PID:0}}")
                    String reporter) {
        return new ProviderHealthReporter(policyClient, reporter, clock).watch(caller);
    }

    /** Paid answers are kept with their job in Zeebe before their outcome is reported (see {@link PaidAnswer}). */
    @Bean
    AnswerKeeper answerKeeper(CamundaClient camundaClient) {
        return new ZeebeAnswerKeeper(camundaClient, Duration.ofSeconds(10));
    }

    /**
     * What this worker may call while the policy service is unavailable ({@code aiops.fail-open.*}); its spool of
     * unapproved calls is posted to the service every few seconds.
     */
    @Bean(destroyMethod = "close")
    FailOpen failOpen(PipelineSettings settings, PolicyClient policyClient) {
        return settings.failOpen().open(policyClient);
    }

    /** The pipeline both hosts run, built the one way every host builds it. */
    @Bean
    AiCallPipeline aiCallPipeline(
            PipelineSettings settings,
            PolicyClient policyClient,
            ResilientProviderCaller providerCaller,
            Clock clock,
            AnswerKeeper answerKeeper,
            FailOpen failOpen,
            MeterRegistry meters,
            OpenTelemetry aiCallOpenTelemetry) {
        return AiCallPipeline.builder()
                .settings(settings)
                .policy(policyClient)
                .providerCaller(providerCaller)
                .clock(clock)
                .answerKeeper(answerKeeper)
                .failOpen(failOpen)
                .observer(new MicrometerCallObserver(meters))
                .openTelemetry(aiCallOpenTelemetry)
                .build();
    }

    /** Registered as a bean, the connector runtime runs it for jobs of type {@value AiTaskConnectorFunction#TYPE}. */
    @Bean
    AiTaskConnectorFunction aiTaskConnectorFunction(AiCallPipeline pipeline) {
        return new AiTaskConnectorFunction(pipeline);
    }

    /** The AI feedback task, for jobs of type {@value AiFeedbackConnectorFunction#TYPE}. */
    @Bean
    AiFeedbackConnectorFunction aiFeedbackConnectorFunction(PolicyClient policyClient) {
        return new AiFeedbackConnectorFunction(policyClient);
    }
}
