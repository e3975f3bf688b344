package io.aiops.policy.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What happened after a decision: every attempt made (failover shows as several), quality scores, and the request and
 * response text. Token counts only: the server prices them from its catalog.
 */
public record CallOutcome(
    List<Attempt> attempts, Map<String, BigDecimal> qualityScores, String requestText, String responseText) {

  public CallOutcome {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    qualityScores = qualityScores == null ? Map.of() : Map.copyOf(qualityScores);
  }

  /**
   * One call to one model. {@code inputTokens} includes cached and cache-write tokens; {@code outputTokens} includes
   * reasoning tokens (the normalised usage every adapter produces).
   */
  public record Attempt(
      String provider,
      String model,
      Long inputTokens,
      Long cachedInputTokens,
      Long cacheWriteInputTokens,
      Long outputTokens,
      Long reasoningTokens,
      Long latencyMs,
      CallStatus status,
      String errorClass) {}
}
