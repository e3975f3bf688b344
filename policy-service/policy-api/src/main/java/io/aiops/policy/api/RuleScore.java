package io.aiops.policy.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * The checks a worker runs on every answer, each a {@link ScoreType#BOOLEAN} score of source {@link ScoreSource#RULE}
 * named {@link #scoreName()}: 1 when the answer passes. A check that does not apply to a task (no JSON schema, no
 * categories, no length bounds) is not reported. A score of source RULE must carry one of these names.
 */
public enum RuleScore {
    /** The answer is not empty or blank. */
    NOT_EMPTY("not_empty"),
    /** The provider did not cut the answer off at the output token limit. */
    NOT_TRUNCATED("not_truncated"),
    /** The model did not decline the task (provider refusal signals and a list of refusal phrases). */
    NOT_REFUSED("not_refused"),
    /** The answer parses as JSON (tasks with a JSON schema). */
    JSON_VALID("json_valid"),
    /** The parsed answer conforms to the task's JSON schema (draft 2020-12). */
    SCHEMA_VALID("schema_valid"),
    /** The answer is one of the task's declared categories. */
    CATEGORY_VALID("category_valid"),
    /** The answer's length lies within the task's bounds. */
    LENGTH_OK("length_ok");

    private final String scoreName;

    RuleScore(String scoreName) {
        this.scoreName = scoreName;
    }

    /** The name the score is recorded under. */
    public String scoreName() {
        return scoreName;
    }

    /** The check recorded under {@code name}, if any. */
    public static Optional<RuleScore> byName(String name) {
        return Arrays.stream(values()).filter(r -> r.scoreName.equals(name)).findFirst();
    }
}
