package io.aiops.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.core.TokenUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/**
 * The normalised usage of each provider, priced with the ledger's cost formula (docs/api.md), equals what the provider
 * bills computed from its raw usage fields, to the micro-dollar. Prices are the seeded catalog's
 * (policy-server migration V4__seed_catalog.sql).
 */
class UsageCostTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** USD per token: input, output, cache read, cache write (null = the input price), reasoning (null = output). */
    private record Price(String input, String output, String cacheRead, String cacheWrite, String reasoning) {
        BigDecimal in() {
            return new BigDecimal(input);
        }

        BigDecimal out() {
            return new BigDecimal(output);
        }

        BigDecimal read() {
            return cacheRead == null ? in() : new BigDecimal(cacheRead);
        }

        BigDecimal write() {
            return cacheWrite == null ? in() : new BigDecimal(cacheWrite);
        }

        BigDecimal think() {
            return reasoning == null ? out() : new BigDecimal(reasoning);
        }
    }

    private static final Price GPT_4O = new Price("0.0000025", "0.00001", "0.00000125", null, null);
    private static final Price CLAUDE_SONNET_4 = new Price("0.000003", "0.000015", "0.0000003", "0.00000375", null);
    private static final Price GEMINI_2_0_FLASH = new Price("0.0000001", "0.0000004", "0.000000025", null, null);

    @Test
    void openAiCachedAndReasoningTokensPricedAsGpt4o() throws Exception {
        String body = Payloads.read("openai/chat-cached-reasoning.json");
        TokenUsage usage = OpenAiChatAdapter.parseResponse(body).usage();
        JsonNode raw = JSON.readTree(body).get("usage");
        long prompt = raw.get("prompt_tokens").asLong();
        long cached = raw.path("prompt_tokens_details").path("cached_tokens").asLong();
        long completion = raw.get("completion_tokens").asLong();
        // OpenAI bills uncached prompt tokens, cached ones at the cache price, and all completion tokens at output
        // price
        BigDecimal billed = tokens(prompt - cached)
                .multiply(GPT_4O.in())
                .add(tokens(cached).multiply(GPT_4O.read()))
                .add(tokens(completion).multiply(GPT_4O.out()));

        assertThat(microDollars(ledgerCost(usage, GPT_4O))).isEqualByComparingTo("0.005615");
        assertThat(microDollars(ledgerCost(usage, GPT_4O))).isEqualByComparingTo(microDollars(billed));
    }

    @Test
    void anthropicCacheReadsAndCacheWritesArePricedApart() throws Exception {
        String body = Payloads.read("anthropic/messages-cache-read-and-write.json");
        TokenUsage usage = AnthropicMessagesAdapter.parseResponse(body).usage();
        assertThat(usage).isEqualTo(new TokenUsage(12_050, 10_000, 2_000, 500, 0));
        JsonNode raw = JSON.readTree(body).get("usage");
        // Anthropic bills input_tokens, cache reads and cache writes each at their own price
        BigDecimal billed = tokens(raw.get("input_tokens").asLong())
                .multiply(CLAUDE_SONNET_4.in())
                .add(tokens(raw.get("cache_read_input_tokens").asLong()).multiply(CLAUDE_SONNET_4.read()))
                .add(tokens(raw.get("cache_creation_input_tokens").asLong()).multiply(CLAUDE_SONNET_4.write()))
                .add(tokens(raw.get("output_tokens").asLong()).multiply(CLAUDE_SONNET_4.out()));

        // 50 x 3e-6 + 10000 x 3e-7 + 2000 x 3.75e-6 + 500 x 1.5e-5
        assertThat(microDollars(ledgerCost(usage, CLAUDE_SONNET_4))).isEqualByComparingTo("0.018150");
        assertThat(microDollars(ledgerCost(usage, CLAUDE_SONNET_4))).isEqualByComparingTo(microDollars(billed));
    }

    @Test
    void geminiCachedContentAndThinkingTokens() throws Exception {
        String body = Payloads.read("gemini/generate-cached-thinking.json");
        TokenUsage usage = GeminiGenerateContentAdapter.parseResponse(body).usage();
        assertThat(usage).isEqualTo(new TokenUsage(12_000, 8_000, 0, 1_000, 700));
        JsonNode raw = JSON.readTree(body).get("usageMetadata");
        long prompt = raw.get("promptTokenCount").asLong();
        long cached = raw.get("cachedContentTokenCount").asLong();
        // Gemini bills thinking tokens as output, on top of the candidates' tokens
        BigDecimal billed = tokens(prompt - cached)
                .multiply(GEMINI_2_0_FLASH.in())
                .add(tokens(cached).multiply(GEMINI_2_0_FLASH.read()))
                .add(tokens(raw.get("candidatesTokenCount").asLong()
                                + raw.get("thoughtsTokenCount").asLong())
                        .multiply(GEMINI_2_0_FLASH.out()));

        // 4000 x 1e-7 + 8000 x 2.5e-8 + 300 x 4e-7 + 700 x 4e-7
        assertThat(microDollars(ledgerCost(usage, GEMINI_2_0_FLASH))).isEqualByComparingTo("0.001000");
        assertThat(microDollars(ledgerCost(usage, GEMINI_2_0_FLASH))).isEqualByComparingTo(microDollars(billed));
    }

    /**
     * docs/api.md: (input - cached - cacheWrite) x input + cached x cacheRead + cacheWrite x cacheWrite
     * + (output - reasoning) x output + reasoning x reasoning.
     */
    private static BigDecimal ledgerCost(TokenUsage u, Price p) {
        return tokens(u.inputTokens() - u.cachedInputTokens() - u.cacheWriteInputTokens())
                .multiply(p.in())
                .add(tokens(u.cachedInputTokens()).multiply(p.read()))
                .add(tokens(u.cacheWriteInputTokens()).multiply(p.write()))
                .add(tokens(u.outputTokens() - u.reasoningTokens()).multiply(p.out()))
                .add(tokens(u.reasoningTokens()).multiply(p.think()));
    }

    private static BigDecimal tokens(long count) {
        return BigDecimal.valueOf(count);
    }

    private static BigDecimal microDollars(BigDecimal usd) {
        return usd.setScale(6, RoundingMode.HALF_UP);
    }
}
