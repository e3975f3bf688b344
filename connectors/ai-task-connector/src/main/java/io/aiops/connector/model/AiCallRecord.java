package io.aiops.connector.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * The small audit record an AI task leaves in the process: which call in the ledger answered, which model, what it
 * cost. {@code costUsd} is written as a decimal string so the process keeps the exact amount (Zeebe stores JSON numbers
 * as doubles). {@code replayed} is true when a redelivered job reused an answer that was already paid for.
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
    boolean replayed) {}
