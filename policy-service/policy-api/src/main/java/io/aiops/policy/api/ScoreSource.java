package io.aiops.policy.api;

/** Who scored an answer. */
public enum ScoreSource {
    /** A deterministic check run by the worker on every answer (see {@link RuleScore}). */
    RULE,
    /** Another model, asked with a rubric (LLM-as-judge). */
    JUDGE,
    /** A person, e.g. a reviewer who accepted or corrected the answer. */
    HUMAN,
    /** A later step of the workflow that found out whether the answer held up (the ticket was reopened, say). */
    DOWNSTREAM
}
