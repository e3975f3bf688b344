package io.aiops.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.core.TokenUsage;
import io.aiops.providers.CompletionRequest;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
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

/** The adapter against the provider simulator: usage, answers and every injected fault. */
class OpenAiChatAdapterSimulatorTest {

    private static ProviderSimulator simulator;
    private static ProviderEndpoint endpoint;
    private final OpenAiChatAdapter adapter = OpenAiChatAdapter.openAi();

    @BeforeAll
    static void start() {
        simulator = ProviderSimulator.start(
                SimulatorConfig.builder().apiKey("sk-sim").retryAfterSeconds(2).build());
        endpoint = new ProviderEndpoint("sim", "openai", simulator.openAiBaseUri(), "sk-sim", Map.of());
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
    void usageMatchesTheSimulatorsTokenRules() {
        String system = "Classify the ticket as one of: billing, technical, account.";
        String user = "Ticket: my account is locked after the password reset";
        CompletionResponse response = adapter.complete(
                endpoint, new CompletionRequest("gpt-4o-mini", system, user, 50, Duration.ofSeconds(5), null));

        assertThat(response.text()).isEqualTo("account");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage())
                .isEqualTo(new TokenUsage(
                        TokenRules.promptTokens(List.of(system, user)), 0, 0, TokenRules.textTokens("account"), 0));
        assertThat(simulator.stats().requests("gpt-4o-mini")).isEqualTo(1);
    }

    @Test
    void cachedAndReasoningTokensArriveAsSubsets() {
        String system = "You follow the support policy below.\n" + "Policy clause. ".repeat(350);
        CompletionRequest request = new CompletionRequest("o3-mini", system, "Is a refund allowed?", 500, null, null);
        TokenUsage first = adapter.complete(endpoint, request).usage();
        TokenUsage second = adapter.complete(endpoint, request).usage();

        long prompt = TokenRules.promptTokens(List.of(system, "Is a refund allowed?"));
        assertThat(first.inputTokens()).isEqualTo(prompt);
        assertThat(first.cachedInputTokens()).isZero();
        assertThat(second.cachedInputTokens())
                .isEqualTo(TokenRules.cachedTokens(TokenRules.messageTokens(system), true))
                .isPositive();
        assertThat(second.inputTokens()).isEqualTo(prompt);
        assertThat(second.reasoningTokens()).isEqualTo(TokenRules.reasoningTokens("o3-mini", prompt));
        assertThat(second.outputTokens()).isGreaterThan(second.reasoningTokens());
    }

    @Test
    void structuredOutputComesBackAsJsonMatchingTheSchema() throws Exception {
        String schema = """
        {"type":"object","properties":{"category":{"type":"string","enum":["billing","technical"]},
         "urgent":{"type":"boolean"}},"required":["category","urgent"],"additionalProperties":false}""";
        CompletionResponse response = adapter.complete(
                endpoint,
                new CompletionRequest(
                        "gpt-4o", "Triage.", "Ticket: technical failure in the checkout", 200, null, schema));
        JsonNode answer = new ObjectMapper().readTree(response.text());
        assertThat(answer.get("category").asText()).isEqualTo("technical");
        assertThat(answer.get("urgent").asBoolean()).isTrue();
    }

    @Test
    void maxTokensCutsTheAnswer() {
        CompletionResponse response = adapter.complete(
                endpoint, new CompletionRequest("gpt-4o", null, "Tell me a long story", 2, null, null));
        assertThat(response.finishReason()).isEqualTo("length");
        assertThat(response.usage().outputTokens()).isEqualTo(2);
    }

    @Test
    void eachFaultIsClassified() {
        record Case(FaultKind kind, ErrorClass expected, int status) {}
        for (Case c : List.of(
                new Case(FaultKind.RATE_LIMIT, ErrorClass.RATE_LIMITED, 429),
                new Case(FaultKind.INSUFFICIENT_QUOTA, ErrorClass.QUOTA_EXCEEDED, 429),
                new Case(FaultKind.SERVER_ERROR, ErrorClass.SERVER_ERROR, 500),
                new Case(FaultKind.OVERLOADED, ErrorClass.OVERLOADED, 503),
                new Case(FaultKind.OVERLOADED_529, ErrorClass.OVERLOADED, 529),
                new Case(FaultKind.MALFORMED, ErrorClass.MALFORMED_RESPONSE, 200))) {
            simulator.faults().clear();
            simulator.faults().add(FaultRule.next("gpt-4o", c.kind(), 1));
            assertThatThrownBy(() ->
                            adapter.complete(endpoint, new CompletionRequest("gpt-4o", null, "hi", 5, null, null)))
                    .as(c.kind().name())
                    .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                        assertThat(e.errorClass()).isEqualTo(c.expected());
                        assertThat(e.httpStatus()).isEqualTo(c.status());
                        if (c.kind() == FaultKind.RATE_LIMIT) {
                            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
                        }
                    });
        }
    }

    @Test
    void heldResponseBecomesATimeout() {
        simulator.faults().add(FaultRule.always("gpt-4o", FaultKind.TIMEOUT));
        assertThatThrownBy(() -> adapter.complete(
                        endpoint, new CompletionRequest("gpt-4o", null, "hi", 5, Duration.ofMillis(50), null)))
                .isInstanceOfSatisfying(
                        ProviderCallException.class,
                        e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.TIMEOUT));
    }

    @Test
    void wrongKeyIsAnAuthenticationFailure() {
        ProviderEndpoint wrongKey =
                new ProviderEndpoint("sim", "openai", simulator.openAiBaseUri(), "sk-wrong", Map.of());
        assertThatThrownBy(() -> adapter.complete(wrongKey, new CompletionRequest("gpt-4o", null, "hi", 5, null, null)))
                .isInstanceOfSatisfying(
                        ProviderCallException.class,
                        e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.AUTHENTICATION));
    }

    @Test
    void azureFormatReachesTheSimulatorsDeploymentRoute() {
        ProviderEndpoint azure = new ProviderEndpoint(
                "azure-sim",
                OpenAiChatAdapter.AZURE_FORMAT,
                simulator.baseUri(),
                "sk-sim",
                Map.of(OpenAiChatAdapter.OPTION_DEPLOYMENT, "gpt4o-prod"));
        CompletionResponse response =
                OpenAiChatAdapter.azure().complete(azure, new CompletionRequest("gpt-4o", null, "hi", 50, null, null));
        assertThat(response.text()).startsWith("Simulated answer from gpt-4o");
        assertThat(simulator.stats().requests("gpt-4o")).isEqualTo(1);
    }
}
