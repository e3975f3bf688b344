package io.aiops.policy.domain.quality;

/** Who scored: the worker's rule checks, a judge model, a person, or a later step of the workflow. */
public enum ScoreSource {
    RULE,
    JUDGE,
    HUMAN,
    DOWNSTREAM
}
