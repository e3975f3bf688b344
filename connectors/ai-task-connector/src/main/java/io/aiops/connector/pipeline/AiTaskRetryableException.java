package io.aiops.connector.pipeline;

import java.time.Duration;

/**
 * A failure that may pass if the job runs again later (policy service unreachable, every candidate failed for a
 * transient reason). Hosts fail the job so the engine's retries and backoff apply; nothing here waits or loops.
 */
public class AiTaskRetryableException extends RuntimeException {

  /** The policy service could not be reached or answered 5xx/429. */
  public static final String POLICY_SERVICE_UNAVAILABLE = "POLICY_SERVICE_UNAVAILABLE";
  /** Every candidate model failed. */
  public static final String PROVIDERS_UNAVAILABLE = "PROVIDERS_UNAVAILABLE";
  /** The model answered but the outcome could not be recorded; the next delivery asks again. */
  public static final String OUTCOME_NOT_RECORDED = "OUTCOME_NOT_RECORDED";

  private final String code;
  private final Duration retryAfter;

  public AiTaskRetryableException(String code, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.retryAfter = retryAfter;
  }

  public String code() {
    return code;
  }

  /** The wait a provider asked for, or null when none was given. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
