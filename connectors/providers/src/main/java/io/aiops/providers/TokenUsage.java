package io.aiops.providers;

/**
 * Usage normalised across providers. {@code inputTokens} is ALL input tokens, including {@code cachedInputTokens}
 * (cache reads) and {@code cacheWriteInputTokens}; {@code outputTokens} includes {@code reasoningTokens}.
 */
public record TokenUsage(
    long inputTokens, long cachedInputTokens, long cacheWriteInputTokens, long outputTokens, long reasoningTokens) {

  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

  public TokenUsage {
    if (inputTokens < 0 || cachedInputTokens < 0 || cacheWriteInputTokens < 0 || outputTokens < 0
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
