package io.aiops.policy.application.port.in;

/** A request the service refuses, with the kind of refusal and, when one is at fault, the request field. */
public class RequestRejected extends RuntimeException {

    /** Each kind maps to one HTTP status and one problem type. */
    public enum Kind {
        VALIDATION,
        NOT_FOUND,
        CONFLICT,
        UNKNOWN_MODEL,
        FORBIDDEN
    }

    private final Kind kind;
    private final String field;

    public RequestRejected(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public static RequestRejected invalid(String field, String message) {
        return new RequestRejected(Kind.VALIDATION, field, message);
    }

    public static RequestRejected notFound(String message) {
        return new RequestRejected(Kind.NOT_FOUND, null, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The offending request field in JSON path form ({@code attempts[0].inputTokens}), or null. */
    public String field() {
        return field;
    }
}
