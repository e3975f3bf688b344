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

/** Usage and answer parsing against recorded payloads in the documented Gemini generateContent shape. */
class GeminiResponseParsingTest {

    @Test
    void documentedExampleParsesExactly() {
        CompletionResponse response =
                GeminiGenerateContentAdapter.parseResponse(Payloads.read("gemini/generate-basic.json"));
        assertThat(response.text()).isEqualTo("Hi");
        assertThat(response.finishReason()).isEqualTo("STOP");
        assertThat(response.responseModel()).isEqualTo("gemini-2.0-flash");
        assertThat(response.responseId()).isEqualTo("mKpKZ8q3C9ukmLAPzpTbmQM");
        assertThat(response.usage()).isEqualTo(new TokenUsage(10, 0, 0, 5, 0));
    }

    @Test
    void cachedTokensStayInsidePromptAndThinkingTokensAreAddedToOutput() {
        CompletionResponse response =
                GeminiGenerateContentAdapter.parseResponse(Payloads.read("gemini/generate-cached-thinking.json"));
        // the thought summary part is not the answer
        assertThat(response.text()).isEqualTo("{\"category\":\"billing\"}");
        TokenUsage usage = response.usage();
        assertThat(usage.inputTokens()).isEqualTo(12_000);
        assertThat(usage.cachedInputTokens()).isEqualTo(8_000);
        assertThat(usage.cacheWriteInputTokens()).isZero();
        assertThat(usage.outputTokens()).isEqualTo(300 + 700);
        assertThat(usage.reasoningTokens()).isEqualTo(700);
    }

    @Test
    void aBlockedPromptIsARejectedRequest() {
        assertThatThrownBy(() -> GeminiGenerateContentAdapter.parseResponse(
                        Payloads.read("gemini/generate-prompt-blocked.json")))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo(ErrorClass.BAD_REQUEST);
                    assertThat(e.errorClass().rejectsRequest()).isTrue();
                    assertThat(e.getMessage()).contains("SAFETY");
                });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gemini/generate-no-usage.json",
                "gemini/generate-no-text.json",
                "gemini/generate-truncated.json",
                "gemini/error-503.json"
            })
    void bodiesWithoutAnAnswerOrUsageAreMalformed(String file) {
        assertThatThrownBy(() -> GeminiGenerateContentAdapter.parseResponse(Payloads.read(file)))
                .isInstanceOfSatisfying(
                        ProviderCallException.class,
                        e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.MALFORMED_RESPONSE));
    }
}
