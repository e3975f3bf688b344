package io.aiops.connector.pipeline;

import io.aiops.connector.failopen.FailOpen;
import io.aiops.connector.failopen.UnapprovedCallSpool;
import io.aiops.policy.api.PolicyClient;
import io.aiops.providers.ProviderEndpoint;
import io.aiops.providers.ResilienceProfiles;
import io.aiops.providers.ResilienceSettings;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Host configuration of the pipeline, the one settings object every host fills: where the policy service is, the
 * worker API key, the provider endpoints, their resilience settings and what the worker may do while the policy service
 * is unavailable. {@link AiCallPipeline#builder} builds the pipeline from it. The Spring host fills it from
 * {@code aiops.*} properties; {@link #fromEnvironment} fills it from environment variables for hosts without Spring:
 *
 * <ul>
 *   <li>{@code AIOPS_POLICY_URL}, {@code AIOPS_POLICY_API_KEY} (required)
 *   <li>{@code AIOPS_PROVIDERS}: comma-separated provider names as the policy service knows them, e.g. {@code openai}
 *   <li>per provider {@code NAME} (upper case, other characters as {@code _}): {@code AIOPS_PROVIDER_<NAME>_BASE_URL}
 *       (required; for {@code openai} it includes the version path, e.g. {@code https://api.openai.com/v1}), {@code AIOPS_PROVIDER_<NAME>_API_KEY}, {@code AIOPS_PROVIDER_<NAME>_FORMAT} (default
 *       {@code openai})
 *   <li>{@code AIOPS_FAIL_OPEN_MAX_SPEND_USD}: the most this worker's unapproved calls not yet recorded may cost
 *       together, for projects set to {@code FAIL_OPEN_CAPPED} (default {@value #DEFAULT_FAIL_OPEN_MAX_SPEND_USD}; 0
 *       never fails open), {@code AIOPS_FAIL_OPEN_SPOOL_DIR}: where those calls are kept until recorded (default
 *       {@code aiops-unapproved-calls} in the temporary directory; use a persistent volume), {@code AIOPS_WORKER_NAME}
 *       (default host name and process id)
 * </ul>
 */
public record PipelineSettings(
        URI policyUrl,
        String policyApiKey,
        Duration policyRequestTimeout,
        List<ProviderEndpoint> providers,
        ResilienceProfiles resilience,
        FailOpenSettings failOpen) {

    public static final String POLICY_URL = "AIOPS_POLICY_URL";
    public static final String POLICY_API_KEY = "AIOPS_POLICY_API_KEY";
    public static final String PROVIDERS = "AIOPS_PROVIDERS";
    public static final String DEFAULT_FORMAT = "openai";
    public static final String FAIL_OPEN_MAX_SPEND_USD = "AIOPS_FAIL_OPEN_MAX_SPEND_USD";
    public static final String FAIL_OPEN_SPOOL_DIR = "AIOPS_FAIL_OPEN_SPOOL_DIR";
    public static final String WORKER_NAME = "AIOPS_WORKER_NAME";
    public static final String DEFAULT_FAIL_OPEN_MAX_SPEND_USD = "1.00";
    /** How long one request to the policy service may take. */
    public static final Duration DEFAULT_POLICY_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How often spooled unapproved calls are posted to the policy service. */
    public static final Duration REPLAY_INTERVAL = Duration.ofSeconds(5);

    /**
     * What the worker may spend on unapproved calls while the policy service is unavailable, where it keeps them, and
     * the name it records them under.
     */
    public record FailOpenSettings(BigDecimal maxSpendUsd, Path spoolDir, String worker) {

        public FailOpenSettings {
            Objects.requireNonNull(maxSpendUsd, "maxSpendUsd");
            if (maxSpendUsd.signum() < 0) {
                throw new IllegalArgumentException("the fail-open spend cap must not be negative: " + maxSpendUsd);
            }
            spoolDir = spoolDir == null ? defaultSpoolDir() : spoolDir;
            worker = worker == null || worker.isBlank() ? defaultWorkerName() : worker;
        }

        /** The defaults: a cap of {@value #DEFAULT_FAIL_OPEN_MAX_SPEND_USD} USD, the spool in the temporary directory. */
        public static FailOpenSettings defaults() {
            return new FailOpenSettings(new BigDecimal(DEFAULT_FAIL_OPEN_MAX_SPEND_USD), null, null);
        }

        /** The worker's fail-open state; with a positive cap its spool is opened and replayed every few seconds. */
        public FailOpen open(PolicyClient policy) {
            if (maxSpendUsd.signum() == 0) {
                return FailOpen.OFF;
            }
            return new FailOpen(maxSpendUsd, new UnapprovedCallSpool(spoolDir), worker)
                    .replayEvery(policy, REPLAY_INTERVAL);
        }

        public static Path defaultSpoolDir() {
            return Path.of(System.getProperty("java.io.tmpdir"), "aiops-unapproved-calls");
        }

        public static String defaultWorkerName() {
            String host = System.getenv("HOSTNAME");
            return (host == null || host.isBlank() ? "worker" : host) + "-"
                    + ProcessHandle.current().pid();
        }
    }

    public PipelineSettings {
        Objects.requireNonNull(policyUrl, "policyUrl");
        Objects.requireNonNull(policyApiKey, "policyApiKey");
        policyRequestTimeout = policyRequestTimeout == null ? DEFAULT_POLICY_REQUEST_TIMEOUT : policyRequestTimeout;
        providers = providers == null ? List.of() : List.copyOf(providers);
        resilience = resilience == null ? ResilienceProfiles.uniform(ResilienceSettings.defaults()) : resilience;
        failOpen = failOpen == null ? FailOpenSettings.defaults() : failOpen;
    }

    /** Settings with the default request timeout, resilience and fail-open settings. */
    public PipelineSettings(URI policyUrl, String policyApiKey, List<ProviderEndpoint> providers) {
        this(policyUrl, policyApiKey, null, providers, null, null);
    }

    /** A client of the policy service with these settings' address, key and request timeout. */
    public PolicyClient policyClient() {
        return new PolicyClient(policyUrl, policyApiKey, policyRequestTimeout);
    }

    /** Reads the settings from variables such as {@code System::getenv}; names the first missing variable. */
    public static PipelineSettings fromEnvironment(Function<String, String> env) {
        URI policyUrl = uri(env, POLICY_URL);
        String apiKey = required(env, POLICY_API_KEY);
        List<ProviderEndpoint> endpoints = new ArrayList<>();
        String names = env.apply(PROVIDERS);
        if (names != null) {
            for (String name : Arrays.stream(names.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList()) {
                String prefix =
                        "AIOPS_PROVIDER_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
                String format = env.apply(prefix + "FORMAT");
                endpoints.add(new ProviderEndpoint(
                        name,
                        format == null || format.isBlank() ? DEFAULT_FORMAT : format.trim(),
                        uri(env, prefix + "BASE_URL"),
                        env.apply(prefix + "API_KEY"),
                        Map.of()));
            }
        }
        String cap = env.apply(FAIL_OPEN_MAX_SPEND_USD);
        String spool = env.apply(FAIL_OPEN_SPOOL_DIR);
        BigDecimal maxSpend;
        try {
            maxSpend = new BigDecimal(cap == null || cap.isBlank() ? DEFAULT_FAIL_OPEN_MAX_SPEND_USD : cap.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(
                    "Environment variable " + FAIL_OPEN_MAX_SPEND_USD + " is not a decimal: " + cap);
        }
        return new PipelineSettings(
                policyUrl,
                apiKey,
                null,
                endpoints,
                null,
                new FailOpenSettings(
                        maxSpend,
                        spool == null || spool.isBlank() ? null : Path.of(spool.trim()),
                        env.apply(WORKER_NAME)));
    }

    /** An absolute http(s) address from a variable; names the variable when it is not one. */
    private static URI uri(Function<String, String> env, String name) {
        String value = required(env, name);
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new URISyntaxException(value, "not an absolute http(s) address");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Environment variable " + name + " is not an http(s) address: " + value);
        }
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
        return "PipelineSettings[policyUrl=" + policyUrl + ", policyApiKey=****, policyRequestTimeout="
                + policyRequestTimeout + ", providers=" + providers + ", failOpen=" + failOpen + "]";
    }
}
