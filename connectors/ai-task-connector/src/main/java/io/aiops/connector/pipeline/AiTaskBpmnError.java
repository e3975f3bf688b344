package io.aiops.connector.pipeline;

/**
 * A business outcome the workflow must handle (budget exceeded, policy denied, model retired, request rejected by the
 * provider): hosts raise it as a BPMN error with {@link #code()} so a boundary event can catch it.
 */
public class AiTaskBpmnError extends RuntimeException {

    /** The provider refused the request itself; no other model would accept it either. */
    public static final String REQUEST_REJECTED = "AI_REQUEST_REJECTED";

    private final String code;

    public AiTaskBpmnError(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
