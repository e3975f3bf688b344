package io.aiops.policy.api;

/**
 * What a worker does with an AI task when it cannot reach the policy service for a decision; set per project.
 *
 * <ul>
 *   <li>{@link #RETRY} (the default): the job fails with back-off and Zeebe retries it; an incident when its retries
 *       run out. No model is called without a decision.
 *   <li>{@link #FAIL_OPEN_CAPPED}: the worker calls the first model of the last decision it received for the same
 *       project, task kind and model hint, as long as its own unapproved spend not yet recorded stays within its local
 *       cap; it keeps the call on disk and records it when the service is back, flagged unapproved in the ledger and
 *       the audit trail.
 * </ul>
 */
public enum OnPolicyUnavailable {
    RETRY,
    FAIL_OPEN_CAPPED
}
