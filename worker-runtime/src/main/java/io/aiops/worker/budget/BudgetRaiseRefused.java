package io.aiops.worker.budget;

/** A raise the worker will not make: raised as the BPMN error {@link #code()} so the process can take another path. */
public final class BudgetRaiseRefused extends RuntimeException {

    /** The job's inputs are missing or malformed, or the new limit is not above the current one. */
    public static final String INVALID = "BUDGET_RAISE_INVALID";

    /** The policy service has no budget with the id. */
    public static final String NOT_FOUND = "BUDGET_NOT_FOUND";

    /** The new limit is above the configured ceiling, or the policy service refused the change (role, project). */
    public static final String REFUSED = "BUDGET_RAISE_REFUSED";

    private final String code;

    public BudgetRaiseRefused(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
