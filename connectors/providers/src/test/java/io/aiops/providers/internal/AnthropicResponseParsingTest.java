package io.aiops.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.core.TokenUsage;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderCallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage and answer parsing against recorded payloads in the documented Anthropic Messages shape. */
class AnthropicResponseParsingTest {

    @Test
    void documentedExampleParsesExactly() {
        CompletionResponse response =
                AnthropicMessagesAdapter.parseResponse(Payloads.read("anthropic/messages-basic.json"));
        assertThat(response.text()).isEqualTo("Hi");
        assertThat(response.finishReason()).isEqualTo("end_turn");
        assertThat(response.responseModel()).isEqualTo("claude-sonnet-4-20250514");
        assertThat(response.responseId()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat(response.usage()).isEqualTo(new TokenUsage(12, 0, 0, 6, 0));
    }

    @Test
    void cacheReadsAndWritesAreAddedToTheInputBecauseInputTokensExcludesThem() {
        CompletionResponse response =
                AnthropicMessagesAdapter.parseResponse(Payloads.read("anthropic/messages-cache-read-and-write.json"));
        assertThat(response.text()).isEqualTo("Category: billing. Priority: high.");
        TokenUsage usage = response.usage();
        assertThat(usage.inputTokens()).isEqualTo(50 + 10_000 + 2_000);
        assertThat(usage.cachedInputTokens()).isEqualTo(10_000);
        assertThat(usage.cacheWriteInputTokens()).isEqualTo(2_000);
        assertThat(usage.outputTokens()).isEqualTo(500);
        assertThat(usage.reasoningTokens()).isZero();
    }

    @Test
    void oneHourCacheWritesAndTheBilledServiceTierAreCarriedApart() {
        CompletionResponse response =
                AnthropicMessagesAdapter.parseResponse(Payloads.read("anthropic/messages-cache-write-1h.json"));

        assertThat(response.usage().inputTokens()).isEqualTo(3040);
        assertThat(response.usage().cacheWriteInputTokens()).isEqualTo(3000);
        assertThat(response.usage().cacheWrite1hInputTokens()).isEqualTo(2000);
        assertThat(response.usage().serviceTier()).isEqualTo("priority");
    }

    @Test
    void moreOneHourWritesThanWritesInAllIsAMalformedResponse() {
        String body = Payloads.read("anthropic/messages-cache-write-1h.json")
                .replace("\"ephemeral_1h_input_tokens\":2000", "\"ephemeral_1h_input_tokens\":5000");

        assertThatThrownBy(() -> AnthropicMessagesAdapter.parseResponse(body))
                .isInstanceOfSatisfying(
                        ProviderCallException.class,
                        e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE));
    }

    @Test
    void theForcedToolsInputIsTheStructuredAnswerAndMissingCacheFieldsCountAsZero() {
        CompletionResponse response =
                AnthropicMessagesAdapter.parseResponse(Payloads.read("anthropic/messages-tool-use.json"));
        assertThat(response.text()).isEqualTo("{\"category\":\"refund\",\"priority\":2}");
        assertThat(response.finishReason()).isEqualTo("tool_use");
        assertThat(response.usage()).isEqualTo(new TokenUsage(410, 0, 0, 38, 0));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "anthropic/messages-no-usage.json",
                "anthropic/messages-truncated.json",
                "anthropic/messages-empty-content.json",
                "anthropic/error-overloaded.json"
            })
    void bodiesWithoutAnAnswerOrUsageAreMalformed(String file) {
        assertThatThrownBy(() -> AnthropicMessagesAdapter.parseResponse(Payloads.read(file)))
                .isInstanceOfSatisfying(
                        ProviderCallException.class,
                        e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE));
    }
}
