package io.aiops.policy.api;

import java.util.List;

/**
 * An error answer from the policy service (RFC 9457 problem+json), or a failure to reach it ({@code status} 0).
 */
public class PolicyServiceException extends RuntimeException {

    /** One invalid field of a rejected request and what is wrong with it. */
    public record FieldError(String field, String message) {}

    private final int status;
    private final String type;
    private final String field;
    private final List<FieldError> errors;

    public PolicyServiceException(int status, String type, String message, String field, Throwable cause) {
        this(status, type, message, field, List.of(), cause);
    }

    public PolicyServiceException(
            int status, String type, String message, String field, List<FieldError> errors, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.type = type;
        this.field = field;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
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

    /** Every invalid field the service named (its {@code errors} list), in its order; empty when it named none. */
    public List<FieldError> errors() {
        return errors;
    }

    /** True when retrying later may succeed (service unreachable, 5xx, 429). */
    public boolean isTransient() {
        return status == 0 || status == 429 || status >= 500;
    }
}
