package io.aiops.policy.domain.call;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One AI call in the ledger, attributed to its process instance and BPMN element, with every attempt. {@code unapproved}
 * marks a call a worker made without a decision while the policy service was unavailable, recorded afterwards.
 * {@code traceId} is the W3C trace id the worker traced it under, or null.
 */
public record RecordedCall(
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
        List<Attempt> attempts,
        boolean unapproved,
        String traceId) {

    /** One attempt of a call as recorded, with its own cost. */
    public record Attempt(
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
