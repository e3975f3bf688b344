package io.aiops.providers;

/**
 * Usage normalised across providers. {@code inputTokens} is ALL input tokens, including {@code cachedInputTokens}
 * (cache reads) and {@code cacheWriteInputTokens}, of which {@code cacheWrite1hInputTokens} were written for an hour
 * (Anthropic bills them at another price than the 5-minute writes); {@code outputTokens} includes
 * {@code reasoningTokens}. {@code serviceTier} is the tier the provider billed the call at ({@code flex},
 * {@code priority}, ...) as it reported it, null when it reported none.
 */
public record TokenUsage(
        long inputTokens,
        long cachedInputTokens,
        long cacheWriteInputTokens,
        long cacheWrite1hInputTokens,
        long outputTokens,
        long reasoningTokens,
        String serviceTier) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

    /** Usage without 1-hour cache writes or a service tier. */
    public TokenUsage(
            long inputTokens,
            long cachedInputTokens,
            long cacheWriteInputTokens,
            long outputTokens,
            long reasoningTokens) {
        this(inputTokens, cachedInputTokens, cacheWriteInputTokens, 0, outputTokens, reasoningTokens, null);
    }

    public TokenUsage {
        if (cacheWrite1hInputTokens < 0 || cacheWrite1hInputTokens > cacheWriteInputTokens) {
            throw new IllegalArgumentException("1-hour cache writes are part of the cache-write tokens");
        }
        if (inputTokens < 0
                || cachedInputTokens < 0
                || cacheWriteInputTokens < 0
                || outputTokens < 0
                || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        if (cachedInputTokens + cacheWriteInputTokens > inputTokens) {
            throw new IllegalArgumentException("cached + cache-write tokens exceed input tokens");
        }
        if (reasoningTokens > outputTokens) {
            throw new IllegalArgumentException("reasoning tokens exceed output tokens");
        }
    }
}
