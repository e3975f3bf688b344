package io.aiops.connector.feedback;

import java.util.UUID;

/**
 * What an AI feedback task returns: the call the feedback landed on, the feedback's id, and whether it had been
 * recorded before (a redelivered job: nothing new was recorded).
 */
public record AiFeedbackResult(UUID callId, UUID feedbackId, boolean repeated) {}
