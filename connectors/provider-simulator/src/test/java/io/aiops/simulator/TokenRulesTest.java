package io.aiops.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRulesTest {

    @Test
    void textTokensAreCharsDividedByFourRoundedUp() {
        assertThat(TokenRules.textTokens("")).isZero();
        assertThat(TokenRules.textTokens(null)).isZero();
        assertThat(TokenRules.textTokens("abcd")).isEqualTo(1);
        assertThat(TokenRules.textTokens("abcde")).isEqualTo(2);
        assertThat(TokenRules.textTokens("x".repeat(400))).isEqualTo(100);
    }

    @Test
    void promptTokensCountOverheadPerMessageAndReplyPriming() {
        // (4 + 3) + (4 + 3) + 3: both texts have 12 chars
        assertThat(TokenRules.promptTokens(List.of("You are nice", "Hello there!")))
                .isEqualTo(17);
        assertThat(TokenRules.promptTokens(List.of())).isEqualTo(3);
    }

    @Test
    void onlyReasoningModelsReportReasoningTokens() {
        assertThat(TokenRules.isReasoningModel("o1")).isTrue();
        assertThat(TokenRules.isReasoningModel("o3-mini")).isTrue();
        assertThat(TokenRules.isReasoningModel("openai/o1-preview")).isTrue();
        assertThat(TokenRules.isReasoningModel("sim-reasoning-large")).isTrue();
        assertThat(TokenRules.isReasoningModel("gpt-4o-mini")).isFalse();
        assertThat(TokenRules.isReasoningModel("gpt-4o")).isFalse();
        assertThat(TokenRules.isReasoningModel("llama3:8b")).isFalse();
        assertThat(TokenRules.reasoningTokens("o3-mini", 100)).isEqualTo(64 + 50);
        assertThat(TokenRules.reasoningTokens("gpt-4o", 100)).isZero();
    }

    @Test
    void cachedTokensNeedALongSystemPromptSeenBeforeAndComeInBlocksOf128() {
        assertThat(TokenRules.cachedTokens(2000, false)).isZero();
        assertThat(TokenRules.cachedTokens(1023, true)).isZero();
        assertThat(TokenRules.cachedTokens(1024, true)).isEqualTo(1024);
        assertThat(TokenRules.cachedTokens(2000, true)).isEqualTo(1920);
    }
}
