package io.aiops.policy.domain.call;

import java.math.BigDecimal;
import java.util.UUID;

/** What recording a decision's outcome produced: the ledger entry, its cost and the reserved money given back. */
public record CallReceipt(UUID callId, BigDecimal costUsd, CallStatus status, BigDecimal releasedUsd) {}
