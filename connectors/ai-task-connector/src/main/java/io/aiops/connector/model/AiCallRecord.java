package io.aiops.connector.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * The small audit record an AI task leaves in the process: which call in the ledger answered, which model, what it
 * cost. {@code costUsd} is written as a decimal string so the process keeps the exact amount (Zeebe stores JSON numbers
 * as doubles). {@code replayed} is true when a redelivered job reused an answer that was already paid for.
 * {@code unapproved} is true for a call made without a decision while the policy service was unavailable
 * ({@code FAIL_OPEN_CAPPED}): it is recorded in the ledger when the service is back, so {@code callId} and
 * {@code costUsd} are null here unless it already was.
 */
public record AiCallRecord(
        UUID callId,
        UUID decisionId,
        String provider,
        String model,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal costUsd,
        Long inputTokens,
        Long outputTokens,
        int attempts,
        boolean replayed,
        boolean unapproved) {}
