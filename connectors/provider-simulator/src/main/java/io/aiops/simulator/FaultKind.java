package io.aiops.simulator;

import java.util.Locale;

/** A failure the simulator can inject instead of answering. */
public enum FaultKind {
    /** HTTP 429 rate limit in the format's shape, with {@code retry-after} (and Gemini's {@code RetryInfo}). */
    RATE_LIMIT("429", 429),
    /**
     * HTTP 429 for an exhausted quota or spend limit (OpenAI {@code insufficient_quota}, Anthropic's spend limit,
     * Gemini's per-day quota); must not be retried.
     */
    INSUFFICIENT_QUOTA("429-quota", 429),
    /** HTTP 500 server_error. */
    SERVER_ERROR("500", 500),
    /** HTTP 503, the model is overloaded. */
    OVERLOADED("503", 503),
    /** HTTP 529, Anthropic's overload status. */
    OVERLOADED_529("529", 529),
    /** HTTP 400: the provider rejects the request itself (no model will accept it). */
    BAD_REQUEST("400", 400),
    /** No response until the client gives up (held until the simulator closes or the hold time passes). */
    TIMEOUT("timeout", 0),
    /** HTTP 200 with a complete body that is not valid JSON. */
    MALFORMED("malformed", 200),
    /** HTTP 200 with a correct length header but the answer's JSON cut off in the middle. */
    TRUNCATED("truncated", 200),
    /** The connection is closed without any response. */
    DROP("drop", 0);

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

    /** The HTTP status sent, 0 for {@link #TIMEOUT} and {@link #DROP}. */
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
            case "cut", "truncate" -> TRUNCATED;
            case "close", "connection-drop", "reset" -> DROP;
            default ->
                throw new IllegalArgumentException("unknown fault '" + token
                        + "' (use 429, 429-quota, 400, 500, 503, 529, timeout, malformed, truncated or drop)");
        };
    }
}
