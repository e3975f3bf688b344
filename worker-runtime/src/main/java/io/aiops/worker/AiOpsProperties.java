package io.aiops.worker;

import io.aiops.connector.pipeline.PipelineSettings;
import io.aiops.providers.ProviderEndpoint;
import io.aiops.providers.ResilienceProfiles;
import io.aiops.providers.ResilienceSettings;
import io.aiops.providers.ResilientProviderCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the worker ({@code aiops.*}): the policy service, the provider endpoints by the names the policy
 * service routes to (with resilience settings per provider and model), resilience defaults for all providers, and the
 * optional plain job worker, and what the worker may spend while the policy service is unavailable. Provider API keys may be written as
 * {@code {{secrets.NAME}}} and are then resolved through the connector runtime's secret providers.
 */
@Validated
@ConfigurationProperties("aiops")
public record AiOpsProperties(
        @Valid @NotNull Policy policy,
        Map<String, @Valid Provider> providers,
        @Valid @DefaultValue JobWorker jobWorker,
        ResilienceProperties resilience,
        @Valid @DefaultValue FailOpen failOpen) {

    public AiOpsProperties {
        providers = providers == null ? Map.of() : Map.copyOf(providers);
    }

    /**
     * The pipeline's settings from these properties: provider API keys written as {@code {{secrets.NAME}}} are resolved
     * through {@code secrets}, resilience settings applied over {@code base} (see {@link #resilienceProfiles}).
     */
    public PipelineSettings pipelineSettings(UnaryOperator<String> secrets, ResilienceSettings base) {
        List<ProviderEndpoint> endpoints = providers.entrySet().stream()
                .map(entry -> entry.getValue().endpoint(entry.getKey(), secrets))
                .toList();
        return new PipelineSettings(
                policy.url(),
                policy.apiKey(),
                policy.requestTimeout(),
                endpoints,
                resilienceProfiles(base),
                failOpen.settings());
    }

    /**
     * The resilience settings of every provider and model: {@code aiops.resilience} over the built-in defaults, a
     * provider's {@code resilience} over that, a model's over its provider's.
     */
    public ResilienceProfiles resilienceProfiles(ResilienceSettings base) {
        ResilienceSettings defaults = ResilienceProperties.apply(resilience, base);
        Map<String, ResilienceSettings> overrides = new LinkedHashMap<>();
        providers.forEach((name, provider) -> {
            ResilienceSettings providerSettings = ResilienceProperties.apply(provider.resilience(), defaults);
            if (provider.resilience() != null) {
                overrides.put(name, providerSettings);
            }
            provider.models()
                    .forEach((model, modelSettings) -> overrides.put(
                            ResilientProviderCaller.key(name, model),
                            ResilienceProperties.apply(modelSettings.resilience(), providerSettings)));
        });
        return new ResilienceProfiles(defaults, overrides);
    }

    /** Where the policy service is and the WORKER-role key to call it with. */
    public record Policy(
            @NotNull URI url,
            @NotBlank String apiKey,
            @DefaultValue("10s") Duration requestTimeout) {

        @Override
        public String toString() {
            return "Policy[url=" + url + ", apiKey=****, requestTimeout=" + requestTimeout + "]";
        }
    }

    /**
     * One provider endpoint: wire format (default {@code openai}), base URL, credential, adapter options (e.g.
     * {@code cache-system-prompt}, {@code header.X}), resilience settings, and per-model resilience overrides (write model
     * names containing dots in brackets: {@code models."[gemini-2.0-flash]"}).
     */
    public record Provider(
            @DefaultValue("openai") String format,
            @NotNull URI baseUrl,
            String apiKey,
            Map<String, String> options,
            ResilienceProperties resilience,
            Map<String, Model> models) {

        public Provider {
            options = options == null ? Map.of() : Map.copyOf(options);
            models = models == null ? Map.of() : Map.copyOf(models);
        }

        /** The endpoint of this provider; an API key with {@code {{...}}} is resolved once, here. */
        ProviderEndpoint endpoint(String name, UnaryOperator<String> secrets) {
            String key = apiKey != null && apiKey.contains("{{") ? secrets.apply(apiKey) : apiKey;
            return new ProviderEndpoint(name, format, baseUrl, key, options);
        }

        @Override
        public String toString() {
            return "Provider[format=" + format + ", baseUrl=" + baseUrl + ", apiKey=****]";
        }
    }

    /** Settings of one model of a provider. */
    public record Model(ResilienceProperties resilience) {}

    /**
     * Calls without a decision while the policy service is unavailable, for projects set to {@code FAIL_OPEN_CAPPED}:
     * {@code max-spend-usd} bounds what this worker's unapproved calls not yet recorded may cost together (0: never fail
     * open), {@code spool-dir} is where they are kept until recorded (default {@code aiops-unapproved-calls} in the
     * temporary directory; put it on a persistent volume), {@code worker} the name they are recorded under (default
     * host name and process id).
     */
    public record FailOpen(
            @DefaultValue(PipelineSettings.DEFAULT_FAIL_OPEN_MAX_SPEND_USD) @PositiveOrZero
            BigDecimal maxSpendUsd,

            Path spoolDir,
            String worker) {

        public PipelineSettings.FailOpenSettings settings() {
            return new PipelineSettings.FailOpenSettings(maxSpendUsd, spoolDir, worker);
        }
    }

    /**
     * The plain job worker host: off by default; {@code type} is the job type it subscribes to, {@code retryBackoff} the
     * wait before a failed job is retried when the provider gave no Retry-After.
     */
    public record JobWorker(
            @DefaultValue("false") boolean enabled,
            @DefaultValue(AiTaskJobWorker.DEFAULT_TYPE) String type,
            @DefaultValue("10s") Duration retryBackoff) {}
}
