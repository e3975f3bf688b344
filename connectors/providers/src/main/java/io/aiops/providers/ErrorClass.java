package io.aiops.providers;

/** Why a provider call failed, and whether trying the same model again may help. */
public enum ErrorClass {
    RATE_LIMITED(true),
    SERVER_ERROR(true),
    OVERLOADED(true),
    TIMEOUT(true),
    CONNECTION(true),
    QUOTA_EXCEEDED(false),
    BAD_REQUEST(false),
    AUTHENTICATION(false),
    PERMISSION(false),
    NOT_FOUND(false),
    REQUEST_TOO_LARGE(false),
    MALFORMED_RESPONSE(true),
    CIRCUIT_OPEN(false),
    UNKNOWN(false);

    private final boolean retryable;

    ErrorClass(boolean retryable) {
        this.retryable = retryable;
    }

    /** True when the same request to the same model may succeed later. */
    public boolean retryable() {
        return retryable;
    }

    /**
     * True when the request itself is at fault, so no other model will accept it either (the workflow must change it).
     */
    public boolean rejectsRequest() {
        return this == BAD_REQUEST || this == REQUEST_TOO_LARGE;
    }
}
