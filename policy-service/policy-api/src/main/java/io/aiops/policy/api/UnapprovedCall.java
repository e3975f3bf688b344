package io.aiops.policy.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/**
 * An AI call a worker made without a decision because the policy service was unavailable and the project allows
 * {@link OnPolicyUnavailable#FAIL_OPEN_CAPPED}: recorded afterwards, flagged unapproved. {@code decisionId} is chosen by
 * the worker and makes the record idempotent (posting it again returns the first receipt); {@code request} is the
 * decision request the worker could not send, its {@code idempotencyKey} ignored; {@code decidedAt} is when the worker
 * decided on its own (the call is priced with the prices in force then and counted in the budget windows of that
 * time); {@code worker} names the worker and {@code reason} says why it could not ask.
 */
public record UnapprovedCall(
        @NotNull UUID decisionId,
        @NotNull @Valid DecisionRequest request,
        @NotNull Instant decidedAt,
        @Name String worker,
        @Size(max = 2_000) String reason,
        @NotNull @Valid CallOutcome outcome) {

    /** The idempotency key an unapproved call's decision is stored under. */
    public String idempotencyKey() {
        return "unapproved:" + decisionId;
    }
}
