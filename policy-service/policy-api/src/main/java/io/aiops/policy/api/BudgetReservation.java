package io.aiops.policy.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Money held against the budgets that apply to a decision until its outcome settles it or it expires. */
public record BudgetReservation(UUID id, BigDecimal amountUsd, Instant expiresAt) {}
