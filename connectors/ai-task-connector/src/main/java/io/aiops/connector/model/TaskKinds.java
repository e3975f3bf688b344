package io.aiops.connector.model;

/**
 * The task kinds the AI task template offers. The connector accepts any lower-case word (routing policies match on it,
 * and diagrams written before the dropdown may use their own); these five are the ones the template lists.
 */
public final class TaskKinds {

    /** The answer is read as one of the declared categories, or the fallback. */
    public static final String CLASSIFY = "classify";

    /** The answer is JSON checked against the task's schema. */
    public static final String EXTRACT = "extract";

    /** A text is written; its length may be bounded. */
    public static final String GENERATE = "generate";

    /** A text is shortened; its length may be bounded. */
    public static final String SUMMARISE = "summarise";

    /** Any other task: every check is offered, and the routing name may be set (Custom task kind). */
    public static final String CUSTOM = "custom";

    private TaskKinds() {}
}
