package io.aiops.connector.pipeline;

import io.aiops.connector.failopen.UnapprovedCallSpool.SpooledCall;
import io.aiops.policy.api.CallOutcome;
import java.util.Objects;
import java.util.UUID;

/**
 * A model answer that has been paid for, with the outcome that records it: kept in the job's element instance (a
 * local process variable, {@value #VARIABLE}) before the outcome is reported, so a later delivery of the same job
 * reports and returns it instead of calling the model again: when the policy service is down longer than the outcome
 * retries, when the worker dies between the answer and the job's completion, and in REDACTED or HASH_ONLY modes,
 * where the policy service keeps no readable answer. The outcome holds the texts as the redaction mode lets them leave
 * the worker; {@code text} is the answer the workflow gets, as the completed job would carry it. {@code unapproved}
 * is set for a call made without a decision while the policy service was unavailable: the record to post (or spool)
 * instead of the outcome, since the service knows no such decision yet.
 */
public record PaidAnswer(
        UUID decisionId,
        CallOutcome outcome,
        String text,
        String provider,
        String model,
        Long inputTokens,
        Long outputTokens,
        int attempts,
        SpooledCall unapproved,
        String finishReason) {

    /** The local variable of the AI task's element instance that holds the kept answer. */
    public static final String VARIABLE = "aiopsPaidAnswer";

    public PaidAnswer {
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(outcome, "outcome");
    }
}
