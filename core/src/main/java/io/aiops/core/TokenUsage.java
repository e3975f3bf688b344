package io.aiops.core;

/**
 * Token counts of one attempt, normalised across providers: {@code inputTokens} is ALL input tokens, including
 * {@code cachedInputTokens} (cache reads) and {@code cacheWriteInputTokens}, of which {@code cacheWrite1hInputTokens}
 * were written for an hour (Anthropic bills them at another price than the 5-minute writes); {@code outputTokens}
 * includes {@code reasoningTokens}. {@code serviceTier} is the tier the provider billed the call at ({@code flex},
 * {@code priority}, ...) as it reported it, null for the default tier; a sum of attempts has none.
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

    /** Usage without 1-hour cache writes, at the default tier. */
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
            throw new IllegalArgumentException("cached and cache-write tokens are part of the input tokens");
        }
        if (reasoningTokens > outputTokens) {
            throw new IllegalArgumentException("reasoning tokens are part of the output tokens");
        }
    }

    /** Input tokens billed at the plain input price. */
    public long uncachedInputTokens() {
        return inputTokens - cachedInputTokens - cacheWriteInputTokens;
    }

    /** Output tokens billed at the plain output price. */
    public long visibleOutputTokens() {
        return outputTokens - reasoningTokens;
    }

    /** Cache writes kept for five minutes. */
    public long cacheWrite5mInputTokens() {
        return cacheWriteInputTokens - cacheWrite1hInputTokens;
    }

    /** The sum of two attempts' usage; it has no service tier. */
    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(
                inputTokens + other.inputTokens,
                cachedInputTokens + other.cachedInputTokens,
                cacheWriteInputTokens + other.cacheWriteInputTokens,
                cacheWrite1hInputTokens + other.cacheWrite1hInputTokens,
                outputTokens + other.outputTokens,
                reasoningTokens + other.reasoningTokens,
                null);
    }
}
