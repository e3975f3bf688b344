package io.aiops.connector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.providers.ProviderEndpoint;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSettingsTest {

    private final Map<String, String> env = new HashMap<>(Map.of(
            "AIOPS_POLICY_URL", "http://policy:8080",
            "AIOPS_POLICY_API_KEY", "worker-key"));

    @Test
    void environmentVariablesNameEachProviderWithItsFormatAddressAndKey() {
        env.put("AIOPS_PROVIDERS", "openai, claude-eu");
        env.put("AIOPS_PROVIDER_OPENAI_BASE_URL", "https://api.openai.com/v1");
        env.put("AIOPS_PROVIDER_OPENAI_API_KEY", "sk-1");
        env.put("AIOPS_PROVIDER_CLAUDE_EU_BASE_URL", "https://anthropic.example");
        env.put("AIOPS_PROVIDER_CLAUDE_EU_FORMAT", "anthropic");

        PipelineSettings settings = PipelineSettings.fromEnvironment(env::get);

        assertThat(settings.policyUrl()).isEqualTo(URI.create("http://policy:8080"));
        assertThat(settings.providers())
                .containsExactly(
                        new ProviderEndpoint(
                                "openai", "openai", URI.create("https://api.openai.com/v1"), "sk-1", Map.of()),
                        new ProviderEndpoint(
                                "claude-eu", "anthropic", URI.create("https://anthropic.example"), null, Map.of()));
        assertThat(settings.policyRequestTimeout()).isEqualTo(PipelineSettings.DEFAULT_POLICY_REQUEST_TIMEOUT);
        assertThat(settings.toString()).doesNotContain("worker-key").doesNotContain("sk-1");
    }

    @Test
    void failOpenVariablesSetTheCapSpoolAndWorkerName() {
        env.put("AIOPS_FAIL_OPEN_MAX_SPEND_USD", "2.50");
        env.put("AIOPS_FAIL_OPEN_SPOOL_DIR", "/var/lib/aiops/spool");
        env.put("AIOPS_WORKER_NAME", "worker-7");

        PipelineSettings.FailOpenSettings failOpen =
                PipelineSettings.fromEnvironment(env::get).failOpen();

        assertThat(failOpen.maxSpendUsd()).isEqualByComparingTo(new BigDecimal("2.50"));
        assertThat(failOpen.spoolDir()).isEqualTo(Path.of("/var/lib/aiops/spool"));
        assertThat(failOpen.worker()).isEqualTo("worker-7");
    }

    @Test
    void aMissingVariableIsNamed() {
        env.put("AIOPS_PROVIDERS", "openai");

        assertThatThrownBy(() -> PipelineSettings.fromEnvironment(env::get))
                .hasMessage("Environment variable AIOPS_PROVIDER_OPENAI_BASE_URL is not set");
        env.remove("AIOPS_POLICY_API_KEY");
        assertThatThrownBy(() -> PipelineSettings.fromEnvironment(env::get))
                .hasMessage("Environment variable AIOPS_POLICY_API_KEY is not set");
    }

    @Test
    void anAddressThatIsNoHttpUrlIsNamed() {
        env.put("AIOPS_POLICY_URL", "policy service");
        assertThatThrownBy(() -> PipelineSettings.fromEnvironment(env::get))
                .hasMessage("Environment variable AIOPS_POLICY_URL is not an http(s) address: policy service");
        env.put("AIOPS_POLICY_URL", "http://policy:8080");
        env.put("AIOPS_PROVIDERS", "openai");
        env.put("AIOPS_PROVIDER_OPENAI_BASE_URL", "api.openai.com/v1");
        assertThatThrownBy(() -> PipelineSettings.fromEnvironment(env::get))
                .hasMessage("Environment variable AIOPS_PROVIDER_OPENAI_BASE_URL is not an http(s) address:"
                        + " api.openai.com/v1");
    }

    @Test
    void aCapThatIsNoDecimalIsNamed() {
        env.put("AIOPS_FAIL_OPEN_MAX_SPEND_USD", "one dollar");

        assertThatThrownBy(() -> PipelineSettings.fromEnvironment(env::get))
                .hasMessageContaining("AIOPS_FAIL_OPEN_MAX_SPEND_USD is not a decimal: one dollar");
    }

    @Test
    void thePipelineNeedsSettingsOrAPolicyClientAndCandidates() {
        assertThatThrownBy(() -> AiCallPipeline.builder().build())
                .hasMessage("the pipeline needs settings, or a policy client and a candidate caller");
    }
}
