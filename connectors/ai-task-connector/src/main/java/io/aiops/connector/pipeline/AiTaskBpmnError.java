package io.aiops.connector.pipeline;

import java.util.Map;

/**
 * A business outcome the workflow must handle (budget exceeded, policy denied, model retired, request rejected by the
 * provider): hosts raise it as a BPMN error with {@link #code()} so a boundary event can catch it.
 */
public class AiTaskBpmnError extends RuntimeException {

    /** The provider refused the request itself; no other model would accept it either. */
    public static final String REQUEST_REJECTED = "AI_REQUEST_REJECTED";

    /** No candidate model gave an answer that passes the task's quality gate; every answer was paid and recorded. */
    public static final String QUALITY_GATE_FAILED = "AI_QUALITY_GATE_FAILED";

    /** The prompt reference names no prompt, version or label of the registry. */
    public static final String PROMPT_NOT_FOUND = "AI_PROMPT_NOT_FOUND";

    /** The registry's prompt needs a variable the task does not give. */
    public static final String PROMPT_INVALID = "AI_PROMPT_INVALID";

    private final String code;
    private final Map<String, Object> variables;

    public AiTaskBpmnError(String code, String message) {
        this(code, message, Map.of());
    }

    /** An error that hands {@code variables} to the scope of the boundary event that catches it. */
    public AiTaskBpmnError(String code, String message, Map<String, Object> variables) {
        super(message);
        this.code = code;
        this.variables = Map.copyOf(variables);
    }

    public String code() {
        return code;
    }

    /** The variables the catching boundary event's scope receives (empty for most errors). */
    public Map<String, Object> variables() {
        return variables;
    }
}
