package io.aiops.policy.domain.quality;

import java.time.Instant;
import java.util.UUID;

/**
 * Feedback on a recorded call: its scores are {@link CallScore}s naming this feedback. {@code idempotencyKey} (null:
 * none) makes a repeated post record nothing new.
 */
public record Feedback(
        UUID id, UUID callId, String idempotencyKey, UUID recordedByKey, String recordedBy, Instant createdAt) {}
