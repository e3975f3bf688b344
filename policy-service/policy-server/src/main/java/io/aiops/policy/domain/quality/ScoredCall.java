package io.aiops.policy.domain.quality;

import io.aiops.core.ProcessCoordinates;
import java.time.Instant;
import java.util.UUID;

/** A recorded call as feedback finds it: whose it is, where in which workflow it ran, how many attempts it made. */
public record ScoredCall(
        UUID callId,
        UUID decisionId,
        String project,
        ProcessCoordinates where,
        String taskKind,
        String provider,
        String model,
        int attempts,
        Instant createdAt) {}
