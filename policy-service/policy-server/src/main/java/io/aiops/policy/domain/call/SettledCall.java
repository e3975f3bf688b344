package io.aiops.policy.domain.call;

import java.math.BigDecimal;
import java.util.UUID;

/** The recorded result of a decision that already has an outcome. */
public record SettledCall(
        UUID callId, CallStatus status, String provider, String model, BigDecimal costUsd, String responseText) {}
