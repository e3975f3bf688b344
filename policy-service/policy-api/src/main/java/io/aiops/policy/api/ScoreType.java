package io.aiops.policy.api;

/**
 * How a {@link Score} is read: a number from 0 (worst) to 1 (best), a pass (1) or fail (0), or a category label.
 */
public enum ScoreType {
    NUMERIC,
    BOOLEAN,
    CATEGORICAL
}
