package io.aiops.policy.domain.call;

/** Why a decision was denied. */
public enum DenialReason {
    /** A HARD budget that applies to the call has no room left for its reservation. */
    BUDGET_EXCEEDED,
    /** A policy forbids the call (e.g. no routing allowed for this task). */
    POLICY_DENIED,
    /** Every model the call could use is past its deprecation date. */
    MODEL_RETIRED
}
