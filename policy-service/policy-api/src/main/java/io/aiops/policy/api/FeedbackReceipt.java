package io.aiops.policy.api;

import java.time.Instant;
import java.util.UUID;

/**
 * What became of {@link CallFeedback}: the call it landed on, how many scores it recorded, and when. {@code repeated}
 * is true when its idempotency key had been used for this call before: nothing new was recorded, and this is the
 * first post's receipt.
 */
public record FeedbackReceipt(UUID feedbackId, UUID callId, int scores, Instant recordedAt, boolean repeated) {}
