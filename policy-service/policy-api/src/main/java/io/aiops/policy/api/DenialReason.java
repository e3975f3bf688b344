package io.aiops.policy.api;

/** Why a decision was denied; each reason maps to a named BPMN error in the connector. */
public enum DenialReason {
    /** A HARD budget that applies to the call has no room left for its reservation. */
    BUDGET_EXCEEDED,
    /** A policy forbids the call (e.g. no routing allowed for this task). */
    POLICY_DENIED,
    /** Every model the call could use is past its deprecation date. */
    MODEL_RETIRED;

    /** The BPMN error code a workflow can catch with a boundary event. */
    public String bpmnErrorCode() {
        return "AI_" + name();
    }
}
