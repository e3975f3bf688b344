package io.aiops.simulator;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The simulator's deterministic token arithmetic, public so tests can compute the usage they must see.
 *
 * <ul>
 *   <li>text tokens = ceil(chars / 4) of the text (Java chars; empty text = 0);</li>
 *   <li>prompt_tokens = sum over messages of (4 + text tokens of its content) + 3 for priming the reply;</li>
 *   <li>completion_tokens = text tokens of the visible answer + reasoning tokens;</li>
 *   <li>reasoning models (name contains "reasoning" or "thinking", an "o1"/"o3" name part such as {@code o1},
 *       {@code o3-mini}, or a Gemini 2.5 name such as {@code gemini-2.5-flash}) report
 *       reasoning_tokens = 64 + prompt_tokens / 2 (integer division), others 0; Anthropic counts them inside
 *       output_tokens, Gemini as thoughtsTokenCount beside candidatesTokenCount;</li>
 *   <li>cached_tokens: when the system message costs at least 1024 tokens (4 + text tokens) and the same model saw the
 *       identical system message before, floor(system message tokens / 128) * 128, otherwise 0.</li>
 * </ul>
 */
public final class TokenRules {

    /** Role and delimiter overhead counted for every message. */
    public static final int TOKENS_PER_MESSAGE = 4;
    /** Tokens that prime the assistant's reply, counted once per request. */
    public static final int REPLY_PRIMING_TOKENS = 3;
    /** Fixed part of the reasoning tokens a reasoning model reports. */
    public static final int REASONING_BASE_TOKENS = 64;
    /** A system message below this many tokens is never cached (as with OpenAI's prompt caching). */
    public static final int CACHE_MINIMUM_TOKENS = 1024;
    /** Cached prefixes are reported in whole blocks of this size. */
    public static final int CACHE_BLOCK_TOKENS = 128;

    private static final Pattern REASONING_NAME =
            Pattern.compile("reasoning|thinking|gemini-2\\.5|(^|[^a-z0-9])o[13]([^0-9]|$)");

    private TokenRules() {}

    /** ceil(chars / 4). */
    public static long textTokens(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return (text.length() + 3) / 4;
    }

    /** Tokens one message costs: the per-message overhead plus its text tokens. */
    public static long messageTokens(String content) {
        return TOKENS_PER_MESSAGE + textTokens(content);
    }

    /** prompt_tokens for messages with these contents, in any role. */
    public static long promptTokens(List<String> messageContents) {
        long total = REPLY_PRIMING_TOKENS;
        for (String content : messageContents) {
            total += messageTokens(content);
        }
        return total;
    }

    /** True when the simulator reports reasoning tokens for this model. */
    public static boolean isReasoningModel(String model) {
        return model != null
                && REASONING_NAME.matcher(model.toLowerCase(Locale.ROOT)).find();
    }

    /** reasoning_tokens a model reports for a prompt of {@code promptTokens}. */
    public static long reasoningTokens(String model, long promptTokens) {
        return isReasoningModel(model) ? REASONING_BASE_TOKENS + promptTokens / 2 : 0;
    }

    /**
     * cached_tokens for a request whose system message costs {@code systemMessageTokens}; {@code seenBefore} is whether
     * the same model already received the identical system message.
     */
    public static long cachedTokens(long systemMessageTokens, boolean seenBefore) {
        if (!seenBefore || systemMessageTokens < CACHE_MINIMUM_TOKENS) {
            return 0;
        }
        return systemMessageTokens / CACHE_BLOCK_TOKENS * CACHE_BLOCK_TOKENS;
    }
}
