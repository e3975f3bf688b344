package io.aiops.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.core.TokenUsage;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderCallException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Usage parsing against recorded payloads in the documented OpenAI Chat Completions shape. */
class OpenAiResponseParsingTest {

    @Test
    void documentedExampleParsesExactly() {
        CompletionResponse response = OpenAiChatAdapter.parseResponse(payload("chat-basic.json"));
        assertThat(response.text()).isEqualTo("Hi");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.responseModel()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(response.responseId()).isEqualTo("chatcmpl-123");
        assertThat(response.usage()).isEqualTo(new TokenUsage(19, 0, 0, 10, 0));
    }

    @Test
    void cachedTokensStayInsideInputAndReasoningInsideOutput() {
        TokenUsage usage = OpenAiChatAdapter.parseResponse(payload("chat-cached-reasoning.json"))
                .usage();
        // prompt_tokens already includes cached_tokens; completion_tokens already includes reasoning_tokens
        assertThat(usage.inputTokens()).isEqualTo(2006);
        assertThat(usage.cachedInputTokens()).isEqualTo(1920);
        assertThat(usage.cacheWriteInputTokens()).isZero();
        assertThat(usage.outputTokens()).isEqualTo(300);
        assertThat(usage.reasoningTokens()).isEqualTo(256);
    }

    @Test
    void missingOrNullDetailsCountAsZero() {
        CompletionResponse compatible = OpenAiChatAdapter.parseResponse(payload("chat-compatible-no-details.json"));
        assertThat(compatible.usage()).isEqualTo(new TokenUsage(26, 0, 0, 7, 0));
        assertThat(compatible.finishReason()).isEqualTo("length");
        assertThat(OpenAiChatAdapter.parseResponse(payload("chat-null-details.json"))
                        .usage())
                .isEqualTo(new TokenUsage(11, 0, 0, 2, 0));
    }

    @Test
    void contentPartsAreJoined() {
        assertThat(OpenAiChatAdapter.parseResponse(payload("chat-content-parts.json"))
                        .text())
                .isEqualTo("Hello, world");
    }

    @Test
    void aRefusalIsTheAnswerWithFinishReasonRefusal() {
        CompletionResponse response = OpenAiChatAdapter.parseResponse(payload("chat-refusal.json"));
        assertThat(response.text()).isEqualTo("I'm sorry, I cannot help with that.");
        assertThat(response.finishReason()).isEqualTo("refusal");
        assertThat(response.usage().outputTokens()).isEqualTo(9);
    }

    @Test
    void responsesWithoutAnAnswerOrUsageAreMalformed() {
        for (String file : new String[] {
            "chat-no-choices.json", "chat-no-usage.json", "chat-cached-exceeds-prompt.json", "chat-truncated.json"
        }) {
            assertThatThrownBy(() -> OpenAiChatAdapter.parseResponse(payload(file)))
                    .as(file)
                    .isInstanceOfSatisfying(
                            ProviderCallException.class,
                            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE));
        }
        assertThatThrownBy(() -> OpenAiChatAdapter.parseResponse(""))
                .isInstanceOfSatisfying(
                        ProviderCallException.class,
                        e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE));
    }

    static String payload(String name) {
        try (InputStream in = OpenAiResponseParsingTest.class.getResourceAsStream("/openai/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing test payload " + name, e);
        }
    }

    @Test
    void theServiceTierTheCallWasBilledAtIsCarriedWithTheUsage() {
        CompletionResponse response = OpenAiChatAdapter.parseResponse(Payloads.read("openai/chat-flex-tier.json"));

        assertThat(response.usage().serviceTier()).isEqualTo("flex");
        assertThat(response.usage().cachedInputTokens()).isEqualTo(1024);
        assertThat(response.usage().reasoningTokens()).isEqualTo(256);
        assertThat(response.usage().cacheWrite1hInputTokens()).isZero();
    }
}
