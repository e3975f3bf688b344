package io.aiops.simulator;

import java.util.Locale;

/**
 * A failure the simulator can inject: instead of answering (transport faults), or in the answer itself (quality
 * faults: HTTP 200 with an answer a quality check must catch).
 */
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
    DROP("drop", 0),
    /** A quality fault: the model declines ("I'm sorry, but I can't help with that request."). */
    REFUSAL("refusal", 200),
    /** A quality fault: prose with a broken object where JSON was asked for. */
    INVALID_JSON("invalid-json", 200),
    /** A quality fault: valid JSON that ignores the requested schema. */
    OFF_SCHEMA("off-schema", 200),
    /** A quality fault: an answer that is none of the categories the prompt lists. */
    WRONG_CATEGORY("wrong-category", 200),
    /** A quality fault: the answer cut off at the output token limit, with the provider's finish reason saying so. */
    CUT_OFF("truncate", 200);

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

    /** True for faults in the answer itself rather than in how (or whether) it is sent. */
    public boolean inAnswer() {
        return ordinal() >= REFUSAL.ordinal();
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
            case "cut" -> TRUNCATED;
            case "max-tokens", "length" -> CUT_OFF;
            case "invalid_json", "not-json" -> INVALID_JSON;
            case "off_schema" -> OFF_SCHEMA;
            case "wrong_category" -> WRONG_CATEGORY;
            case "refuse" -> REFUSAL;
            case "close", "connection-drop", "reset" -> DROP;
            default ->
                throw new IllegalArgumentException("unknown fault '" + token
                        + "' (use 429, 429-quota, 400, 500, 503, 529, timeout,"
                        + " malformed, truncated, drop, refusal, invalid-json, off-schema, wrong-category or"
                        + " truncate)");
        };
    }
}
