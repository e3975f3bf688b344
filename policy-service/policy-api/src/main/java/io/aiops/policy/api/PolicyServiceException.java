package io.aiops.policy.api;

/**
 * An error answer from the policy service (RFC 9457 problem+json), or a failure to reach it ({@code status} 0).
 */
public class PolicyServiceException extends RuntimeException {

  private final int status;
  private final String type;
  private final String field;

  public PolicyServiceException(int status, String type, String message, String field, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.type = type;
    this.field = field;
  }

  /** HTTP status, or 0 when the service could not be reached. */
  public int status() {
    return status;
  }

  /** The problem type URI, stable per kind of error. */
  public String type() {
    return type;
  }

  /** The offending request field, when the problem names one. */
  public String field() {
    return field;
  }

  /** True when retrying later may succeed (service unreachable, 5xx, 429). */
  public boolean isTransient() {
    return status == 0 || status == 429 || status >= 500;
  }
}
