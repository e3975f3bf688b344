package io.aiops.simulator;

import java.util.Locale;

/** A failure the simulator can inject instead of answering. */
public enum FaultKind {
  /** HTTP 429 with an OpenAI {@code rate_limit_exceeded} body and a {@code retry-after} header. */
  RATE_LIMIT("429", 429),
  /** HTTP 429 with an OpenAI {@code insufficient_quota} body (must not be retried). */
  INSUFFICIENT_QUOTA("429-quota", 429),
  /** HTTP 500 server_error. */
  SERVER_ERROR("500", 500),
  /** HTTP 503, the model is overloaded. */
  OVERLOADED("503", 503),
  /** HTTP 529, the overload status some providers use. */
  OVERLOADED_529("529", 529),
  /** No response until the client gives up (held until the simulator closes or the hold time passes). */
  TIMEOUT("timeout", 0),
  /** HTTP 200 with a body cut off in the middle of the JSON. */
  MALFORMED("malformed", 200);

  private final String token;
  private final int httpStatus;

  FaultKind(String token, int httpStatus) {
    this.token = token;
    this.httpStatus = httpStatus;
  }

  /** The name used in fault specs, e.g. {@code 503} or {@code timeout}. */
  public String token() {
    return token;
  }

  /** The HTTP status sent, 0 for {@link #TIMEOUT}. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Parses a token; also accepts the enum name and a few aliases ({@code quota}, {@code insufficient_quota}). */
  public static FaultKind fromToken(String token) {
    String t = token.trim().toLowerCase(Locale.ROOT);
    for (FaultKind kind : values()) {
      if (kind.token.equals(t) || kind.name().toLowerCase(Locale.ROOT).equals(t)) {
        return kind;
      }
    }
    return switch (t) {
      case "quota", "insufficient_quota", "429quota", "429-insufficient_quota" -> INSUFFICIENT_QUOTA;
      case "rate-limit", "rate_limit_exceeded" -> RATE_LIMIT;
      default -> throw new IllegalArgumentException(
          "unknown fault '" + token + "' (use 429, 429-quota, 500, 503, 529, timeout or malformed)");
    };
  }
}
