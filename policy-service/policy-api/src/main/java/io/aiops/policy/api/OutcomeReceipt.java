package io.aiops.policy.api;

import java.math.BigDecimal;
import java.util.UUID;

/** The server's answer to a {@link CallOutcome}: the ledger entry and its cost, computed from the catalog. */
public record OutcomeReceipt(UUID callId, BigDecimal costUsd, CallStatus status, BigDecimal releasedUsd) {}
