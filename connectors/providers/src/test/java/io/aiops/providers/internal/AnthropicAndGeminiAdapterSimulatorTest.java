package io.aiops.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.core.TokenUsage;
import io.aiops.providers.CompletionRequest;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderAdapter;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderEndpoint;
import io.aiops.simulator.FaultKind;
import io.aiops.simulator.FaultRule;
import io.aiops.simulator.ProviderSimulator;
import io.aiops.simulator.SimulatorConfig;
import io.aiops.simulator.TokenRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Anthropic and Gemini adapters against the provider simulator: usage mapping and every injected fault. */
class AnthropicAndGeminiAdapterSimulatorTest {

    private static final String LONG_SYSTEM =
            "You triage support tickets for a shop. ".repeat(120) + "Answer with one of: billing, technical, account.";
    private static ProviderSimulator simulator;
    private static ProviderEndpoint anthropic;
    private static ProviderEndpoint gemini;

    @BeforeAll
    static void start() {
        simulator = ProviderSimulator.start(
                SimulatorConfig.builder().apiKey("sim-key").retryAfterSeconds(2).build());
        anthropic = new ProviderEndpoint(
                "anthropic",
                "anthropic",
                simulator.baseUri(),
                "sim-key",
                Map.of(AnthropicMessagesAdapter.OPTION_CACHE_SYSTEM_PROMPT, "true"));
        gemini = new ProviderEndpoint("gemini", "gemini", simulator.baseUri(), "sim-key", Map.of());
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.faults().clear();
        simulator.resetStats();
    }

    @Test
    void anthropicCacheWriteThenCacheReadAreBothInsideTheNormalisedInput() {
        CompletionRequest request = new CompletionRequest(
                "claude-sonnet-4-20250514",
                LONG_SYSTEM,
                "Ticket: the invoice total is wrong",
                50,
                Duration.ofSeconds(5),
                null);
        long prompt = TokenRules.promptTokens(List.of(LONG_SYSTEM, "Ticket: the invoice total is wrong"));
        long system = TokenRules.messageTokens(LONG_SYSTEM);

        CompletionResponse first = AnthropicMessagesAdapter.anthropic().complete(anthropic, request);
        assertThat(first.text()).isEqualTo("billing");
        assertThat(first.usage()).isEqualTo(new TokenUsage(prompt, 0, system, TokenRules.textTokens("billing"), 0));
        CompletionResponse second = AnthropicMessagesAdapter.anthropic().complete(anthropic, request);
        assertThat(second.usage()).isEqualTo(new TokenUsage(prompt, system, 0, TokenRules.textTokens("billing"), 0));
    }

    @Test
    void anthropicStructuredOutputComesBackAsJsonText() {
        CompletionResponse response = AnthropicMessagesAdapter.anthropic()
                .complete(
                        anthropic,
                        new CompletionRequest(
                                "claude-haiku-4-5",
                                null,
                                "Ticket: app crashes. Category one of: billing, technical.",
                                100,
                                null,
                                "{\"type\":\"object\",\"properties\":{\"category\":{\"type\":\"string\",\"enum\":[\"billing\",\"technical\"]}},"
                                        + "\"required\":[\"category\"]}"));
        assertThat(response.finishReason()).isEqualTo("tool_use");
        assertThat(response.text()).matches("\\{\"category\":\"(billing|technical)\"}");
    }

    @Test
    void geminiThinkingTokensAreOutputAndReasoning() {
        String user = "Ticket: the app crashes on start";
        CompletionResponse response = GeminiGenerateContentAdapter.gemini()
                .complete(
                        gemini,
                        new CompletionRequest("gemini-2.5-flash", null, user, 100, Duration.ofSeconds(5), null));
        long prompt = TokenRules.promptTokens(List.of(user));
        long thoughts = TokenRules.reasoningTokens("gemini-2.5-flash", prompt);
        assertThat(thoughts).isPositive();
        assertThat(response.usage())
                .isEqualTo(new TokenUsage(prompt, 0, 0, TokenRules.textTokens(response.text()) + thoughts, thoughts));
    }

    @Test
    void geminiImplicitCacheStaysInsideThePrompt() {
        CompletionRequest request = new CompletionRequest(
                "gemini-2.0-flash", LONG_SYSTEM, "Ticket: cannot log in", 50, Duration.ofSeconds(5), null);
        GeminiGenerateContentAdapter.gemini().complete(gemini, request);
        TokenUsage usage =
                GeminiGenerateContentAdapter.gemini().complete(gemini, request).usage();
        assertThat(usage.inputTokens())
                .isEqualTo(TokenRules.promptTokens(List.of(LONG_SYSTEM, "Ticket: cannot log in")));
        assertThat(usage.cachedInputTokens())
                .isEqualTo(TokenRules.cachedTokens(TokenRules.messageTokens(LONG_SYSTEM), true));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "anthropic, 429, RATE_LIMITED, 429",
        "anthropic, 429-quota, QUOTA_EXCEEDED, 429",
        "anthropic, 400, BAD_REQUEST, 400",
        "anthropic, 500, SERVER_ERROR, 500",
        "anthropic, 503, OVERLOADED, 503",
        "anthropic, 529, OVERLOADED, 529",
        "anthropic, malformed, MALFORMED_RESPONSE, 200",
        "anthropic, truncated, MALFORMED_RESPONSE, 200",
        "anthropic, drop, CONNECTION, 0",
        "gemini, 429, RATE_LIMITED, 429",
        "gemini, 429-quota, QUOTA_EXCEEDED, 429",
        "gemini, 400, BAD_REQUEST, 400",
        "gemini, 500, SERVER_ERROR, 500",
        "gemini, 503, OVERLOADED, 503",
        "gemini, malformed, MALFORMED_RESPONSE, 200",
        "gemini, truncated, MALFORMED_RESPONSE, 200",
        "gemini, drop, CONNECTION, 0"
    })
    void everyInjectedFaultIsClassified(String format, String fault, ErrorClass expected, int status) {
        String model = format.equals("anthropic") ? "claude-haiku-4-5" : "gemini-2.0-flash";
        simulator.faults().add(FaultRule.next(model, FaultKind.fromToken(fault), 1));
        ProviderCallException failure = null;
        try {
            adapterFor(format)
                    .complete(
                            format.equals("anthropic") ? anthropic : gemini,
                            new CompletionRequest(model, null, "hi", 10, Duration.ofSeconds(5), null));
        } catch (ProviderCallException e) {
            failure = e;
        }
        assertThat(failure).as("the call fails").isNotNull();
        assertThat(failure.errorClass()).isEqualTo(expected);
        assertThat(failure.httpStatus()).isEqualTo(status);
        if (expected == ErrorClass.RATE_LIMITED) {
            // Anthropic sends retry-after, Gemini RetryInfo.retryDelay
            assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        }
    }

    private static ProviderAdapter adapterFor(String format) {
        return format.equals("anthropic")
                ? AnthropicMessagesAdapter.anthropic()
                : GeminiGenerateContentAdapter.gemini();
    }
}
