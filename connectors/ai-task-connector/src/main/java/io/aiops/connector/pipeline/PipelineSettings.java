package io.aiops.connector.pipeline;

import io.aiops.policy.api.PolicyClient;
import io.aiops.providers.ProviderAdapter;
import io.aiops.providers.ProviderEndpoint;
import io.aiops.providers.ProviderRegistry;
import io.aiops.providers.ResilienceSettings;
import io.aiops.providers.ResilientProviderCaller;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Host configuration of the pipeline: where the policy service is, the worker API key, and the provider endpoints.
 * {@link #fromEnvironment} reads it from environment variables for hosts without Spring:
 *
 * <ul>
 *   <li>{@code AIOPS_POLICY_URL}, {@code AIOPS_POLICY_API_KEY} (required)
 *   <li>{@code AIOPS_PROVIDERS}: comma-separated provider names as the policy service knows them, e.g. {@code openai}
 *   <li>per provider {@code NAME} (upper case, other characters as {@code _}): {@code AIOPS_PROVIDER_<NAME>_BASE_URL}
 *       (required; for {@code openai} it includes the version path, e.g. {@code https://api.openai.com/v1}), {@code AIOPS_PROVIDER_<NAME>_API_KEY}, {@code AIOPS_PROVIDER_<NAME>_FORMAT} (default
 *       {@code openai})
 * </ul>
 */
public record PipelineSettings(URI policyUrl, String policyApiKey, List<ProviderEndpoint> providers) {

  public static final String POLICY_URL = "AIOPS_POLICY_URL";
  public static final String POLICY_API_KEY = "AIOPS_POLICY_API_KEY";
  public static final String PROVIDERS = "AIOPS_PROVIDERS";
  public static final String DEFAULT_FORMAT = "openai";

  public PipelineSettings {
    Objects.requireNonNull(policyUrl, "policyUrl");
    Objects.requireNonNull(policyApiKey, "policyApiKey");
    providers = providers == null ? List.of() : List.copyOf(providers);
  }

  /** Reads the settings from variables such as {@code System::getenv}; names the first missing variable. */
  public static PipelineSettings fromEnvironment(Function<String, String> env) {
    URI policyUrl = URI.create(required(env, POLICY_URL));
    String apiKey = required(env, POLICY_API_KEY);
    List<ProviderEndpoint> endpoints = new ArrayList<>();
    String names = env.apply(PROVIDERS);
    if (names != null) {
      for (String name : Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
        String prefix = "AIOPS_PROVIDER_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
        String format = env.apply(prefix + "FORMAT");
        endpoints.add(
            new ProviderEndpoint(
                name,
                format == null || format.isBlank() ? DEFAULT_FORMAT : format.trim(),
                URI.create(required(env, prefix + "BASE_URL")),
                env.apply(prefix + "API_KEY"),
                Map.of()));
      }
    }
    return new PipelineSettings(policyUrl, apiKey, endpoints);
  }

  /** Builds the pipeline with the given adapters (one per wire format) and retry/circuit-breaker settings. */
  public AiCallPipeline pipeline(
      Collection<? extends ProviderAdapter> adapters, ResilienceSettings resilience, Clock clock) {
    return new AiCallPipeline(
        new PolicyClient(policyUrl, policyApiKey),
        new RegistryCandidateCaller(
            new ProviderRegistry(providers, adapters), new ResilientProviderCaller(resilience, clock), clock),
        clock);
  }

  private static String required(Function<String, String> env, String name) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("Environment variable " + name + " is not set");
    }
    return value.trim();
  }

  @Override
  public String toString() {
    return "PipelineSettings[policyUrl=" + policyUrl + ", policyApiKey=****, providers=" + providers + "]";
  }
}
