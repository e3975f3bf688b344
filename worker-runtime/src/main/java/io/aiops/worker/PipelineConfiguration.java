package io.aiops.worker;

import io.aiops.connector.AiTaskConnectorFunction;
import io.aiops.connector.failopen.FailOpen;
import io.aiops.connector.pipeline.AiCallPipeline;
import io.aiops.connector.pipeline.AnswerKeeper;
import io.aiops.connector.pipeline.CandidateCaller;
import io.aiops.connector.pipeline.PaidAnswer;
import io.aiops.connector.pipeline.RegistryCandidateCaller;
import io.aiops.policy.api.PolicyClient;
import io.aiops.providers.ProviderEndpoint;
import io.aiops.providers.ProviderRegistry;
import io.aiops.providers.ResilienceProfiles;
import io.aiops.providers.ResilienceSettings;
import io.aiops.providers.ResilientProviderCaller;
import io.camunda.client.CamundaClient;
import io.camunda.connector.api.secret.SecretContext;
import io.camunda.connector.runtime.core.secret.SecretHandler;
import io.camunda.connector.runtime.core.secret.SecretProviderAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the one {@link AiCallPipeline} from {@link AiOpsProperties} and hands it to both hosts. */
@Configuration(proxyBeanMethods = false)
public class PipelineConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PolicyClient policyClient(AiOpsProperties properties) {
        AiOpsProperties.Policy policy = properties.policy();
        return new PolicyClient(policy.url(), policy.apiKey(), policy.requestTimeout());
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

    /** Settings per provider and model from the properties. */
    @Bean
    @ConditionalOnMissingBean
    ResilienceProfiles resilienceProfiles(AiOpsProperties properties, ResilienceSettings base) {
        return properties.resilienceProfiles(base);
    }

    /** One caller (and so one set of circuit breakers, rate limiters and bulkheads) for both hosts. */
    @Bean
    ResilientProviderCaller resilientProviderCaller(ResilienceProfiles profiles, Clock clock) {
        return new ResilientProviderCaller(profiles, clock);
    }

    @Bean
    ProviderRegistry providerRegistry(AiOpsProperties properties, SecretProviderAggregator secretProviders) {
        SecretHandler secrets = new SecretHandler(secretProviders);
        List<ProviderEndpoint> endpoints = properties.providers().entrySet().stream()
                .map(entry -> endpoint(entry.getKey(), entry.getValue(), secrets))
                .toList();
        return ProviderRegistry.withBuiltInAdapters(endpoints);
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

    @Bean
    CandidateCaller candidateCaller(ProviderRegistry registry, ResilientProviderCaller caller, Clock clock) {
        return new RegistryCandidateCaller(registry, caller, clock);
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
    FailOpen failOpen(AiOpsProperties properties, PolicyClient policyClient) {
        return properties.failOpen().settings().open(policyClient);
    }

    @Bean
    AiCallPipeline aiCallPipeline(
            PolicyClient policyClient,
            CandidateCaller candidateCaller,
            Clock clock,
            AnswerKeeper answerKeeper,
            FailOpen failOpen) {
        return new AiCallPipeline(
                policyClient, candidateCaller, clock, AiCallPipeline.OUTCOME_RETRY_WAIT, answerKeeper, failOpen);
    }

    /** Registered as a bean, the connector runtime runs it for jobs of type {@value AiTaskConnectorFunction#TYPE}. */
    @Bean
    AiTaskConnectorFunction aiTaskConnectorFunction(AiCallPipeline pipeline) {
        return new AiTaskConnectorFunction(pipeline);
    }

    private static ProviderEndpoint endpoint(String name, AiOpsProperties.Provider provider, SecretHandler secrets) {
        String apiKey = provider.apiKey();
        if (apiKey != null && apiKey.contains("{{")) {
            // resolved once at start-up, the same way the runtime resolves {{secrets.X}} in connector input
            apiKey = secrets.replaceSecrets(apiKey, new SecretContext(null));
        }
        return new ProviderEndpoint(name, provider.format(), provider.baseUrl(), apiKey, provider.options());
    }
}
