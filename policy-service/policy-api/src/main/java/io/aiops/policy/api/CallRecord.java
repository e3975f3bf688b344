package io.aiops.policy.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One AI call in the ledger, attributed to its process instance and BPMN element, with every attempt. {@code unapproved}
 * marks a call a worker made without a decision while the policy service was unavailable (see
 * {@link OnPolicyUnavailable#FAIL_OPEN_CAPPED}), recorded afterwards. {@code scores} are the quality scores of its
 * answers and the feedback it got, in the order they were recorded. {@code traceId} is the W3C trace id the worker
 * traced the call under (null when it did not trace), to look the call up in a tracing backend.
 */
public record CallRecord(
        UUID callId,
        UUID decisionId,
        String project,
        String bpmnProcessId,
        Long processDefinitionKey,
        Long processInstanceKey,
        String elementId,
        Long elementInstanceKey,
        Long jobKey,
        String taskKind,
        CallStatus status,
        String provider,
        String model,
        long inputTokens,
        long cachedInputTokens,
        long cacheWriteInputTokens,
        long outputTokens,
        long reasoningTokens,
        BigDecimal costUsd,
        long latencyMs,
        Instant createdAt,
        List<AttemptRecord> attempts,
        boolean unapproved,
        List<Score> scores,
        String traceId) {

    public CallRecord {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        scores = scores == null ? List.of() : List.copyOf(scores);
    }

    /** One attempt of a call as recorded, with its own cost. */
    public record AttemptRecord(
            int attemptNo,
            String provider,
            String model,
            long inputTokens,
            long cachedInputTokens,
            long cacheWriteInputTokens,
            long outputTokens,
            long reasoningTokens,
            long latencyMs,
            CallStatus status,
            String errorClass,
            BigDecimal costUsd) {}
}
