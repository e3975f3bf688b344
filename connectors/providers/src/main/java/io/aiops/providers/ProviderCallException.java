package io.aiops.providers;

import java.time.Duration;

/** A classified provider failure; carries the HTTP status (0 when none) and the provider's Retry-After, if any. */
public class ProviderCallException extends RuntimeException {

    private final ErrorClass errorClass;
    private final int httpStatus;
    private final Duration retryAfter;

    public ProviderCallException(
            ErrorClass errorClass, int httpStatus, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public ProviderCallException(ErrorClass errorClass, int httpStatus, String message) {
        this(errorClass, httpStatus, message, null, null);
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The wait the provider asked for, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
