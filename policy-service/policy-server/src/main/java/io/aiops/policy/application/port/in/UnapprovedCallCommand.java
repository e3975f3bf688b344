package io.aiops.policy.application.port.in;

import java.time.Instant;
import java.util.UUID;

/**
 * A call made without a decision (see {@link io.aiops.policy.api.UnapprovedCall}, whose Bean Validation rules the web
 * adapter has checked): the worker's decision id, the decision request it could not send (its idempotency key is
 * {@code unapproved:<decisionId>}), when it decided, who it is and why, and the outcome.
 */
public record UnapprovedCallCommand(
        UUID decisionId,
        DecideCommand request,
        Instant decidedAt,
        String worker,
        String reason,
        RecordOutcomeCommand outcome) {}
