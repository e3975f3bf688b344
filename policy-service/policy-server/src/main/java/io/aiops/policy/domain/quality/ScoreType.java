package io.aiops.policy.domain.quality;

/** How a score is read: 0..1 (higher is better), pass (1) or fail (0), or a category label. */
public enum ScoreType {
    NUMERIC,
    BOOLEAN,
    CATEGORICAL
}
