package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_ATTEMPTS;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/**
 * One quality score of an AI call. {@code value} is 0..1 for {@link ScoreType#NUMERIC} (higher is better), 1 (pass)
 * or 0 (fail) for {@link ScoreType#BOOLEAN}, and absent for {@link ScoreType#CATEGORICAL}, which carries {@code label}
 * instead. {@code attemptNo} (1-based, in the order of the outcome's attempts) says which answer was scored; absent, the
 * score is about the call as a whole (feedback usually is). {@code scorerVersion} names the version of the check or
 * rubric, so a changed scorer does not read as a changed model.
 */
public record Score(
        @NotBlank @Name String name,
        @NotNull ScoreType type,
        @DecimalMin("0") @DecimalMax("1") BigDecimal value,
        @Size(max = MAX_LABEL_CHARS) @Name String label,
        @NotNull ScoreSource source,
        @Size(max = MAX_EXPLANATION_CHARS) String explanation,
        @Size(max = MAX_VERSION_CHARS) @Name String scorerVersion,
        @Positive @Max(MAX_ATTEMPTS) Integer attemptNo) {

    /** Longest category label. */
    public static final int MAX_LABEL_CHARS = 200;

    /** Longest explanation. */
    public static final int MAX_EXPLANATION_CHARS = 4_000;

    /** Longest scorer version. */
    public static final int MAX_VERSION_CHARS = 64;

    /** A pass (true) or fail of a boolean check. */
    public static Score passFail(
            String name, boolean passed, ScoreSource source, String explanation, String version, Integer attemptNo) {
        return new Score(
                name,
                ScoreType.BOOLEAN,
                passed ? BigDecimal.ONE : BigDecimal.ZERO,
                null,
                source,
                explanation,
                version,
                attemptNo);
    }

    /** True for a boolean score that passed; false for one that failed and for other types. */
    public boolean passed() {
        return type == ScoreType.BOOLEAN && value != null && value.signum() > 0;
    }

    /** True for a boolean score that failed. */
    public boolean failed() {
        return type == ScoreType.BOOLEAN && value != null && value.signum() == 0;
    }

    /** This score, as given for the attempt numbered {@code attempt}. */
    public Score forAttempt(Integer attempt) {
        return new Score(name, type, value, label, source, explanation, scorerVersion, attempt);
    }
}
