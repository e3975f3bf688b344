package io.aiops.policy.domain;

/**
 * Normalised token counts of one attempt: {@code inputTokens} includes cached and cache-write tokens,
 * {@code outputTokens} includes reasoning tokens.
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

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        inputTokens + other.inputTokens,
        cachedInputTokens + other.cachedInputTokens,
        cacheWriteInputTokens + other.cacheWriteInputTokens,
        outputTokens + other.outputTokens,
        reasoningTokens + other.reasoningTokens);
  }
}
