package io.aiops.policy.application.port.out;

import io.aiops.core.TokenUsage;
import io.aiops.policy.domain.call.CallReceipt;
import io.aiops.policy.domain.call.CallStatus;
import io.aiops.policy.domain.call.RecordedCall;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The call ledger: one call per decision outcome, one row per attempt, each priced. */
public interface CallLedger {

    /** One priced attempt. */
    record PricedAttempt(
            int attemptNo,
            String provider,
            String model,
            TokenUsage usage,
            long latencyMs,
            CallStatus status,
            String errorClass,
            BigDecimal costUsd) {}

    /** A call about to be recorded, with its totals over all attempts; {@code traceId} null when not traced. */
    record NewCall(
            UUID id,
            UUID decisionId,
            CallStatus status,
            String provider,
            String model,
            TokenUsage totalUsage,
            long latencyMs,
            BigDecimal costUsd,
            BigDecimal releasedUsd,
            Map<String, BigDecimal> qualityScores,
            String requestText,
            String responseText,
            Instant createdAt,
            List<PricedAttempt> attempts,
            String promptName,
            Integer promptVersion,
            String traceId) {}

    Optional<CallReceipt> receiptOf(UUID decisionId);

    /** Records the call and its attempts; false when the decision already has a call. */
    boolean insertIfAbsent(NewCall call);

    List<RecordedCall> callsOfProcessInstance(long processInstanceKey);

    /** A call's request and response text as stored (redacted as its project's mode was when recorded; null: none). */
    record StoredTexts(String requestText, String responseText) {}

    /** The stored texts of the given calls, still encoded as stored. */
    Map<UUID, StoredTexts> textsOf(List<UUID> callIds);
}
