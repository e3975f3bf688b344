package io.aiops.policy.domain.call;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Money held against the budgets that apply to a decision until its outcome settles it or it expires. */
public record Reservation(UUID id, BigDecimal amountUsd, Instant expiresAt) {}
