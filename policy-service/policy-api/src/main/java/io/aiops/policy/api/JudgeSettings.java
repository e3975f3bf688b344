package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_TEXT_CHARS;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/**
 * LLM-as-judge for a project (or one of its workflows): the share of calls judged ({@code sampleRate}, 0..1), the
 * judge model, the rubric (a prompt template with {@code {{question}}}, {@code {{answer}}} and {@code {{criteria}}};
 * unset: {@link #DEFAULT_RUBRIC}), the criteria, the name the score is recorded under and the judge's answer length.
 * Judge calls go through the policy service like any call (their own decision and budget, task kind
 * {@value #TASK_KIND}, attributed to the judged call's process instance), run after the job completed, and never fail
 * the workflow.
 */
public record JudgeSettings(
        @NotNull @DecimalMin("0") @DecimalMax("1") BigDecimal sampleRate,
        @NotBlank @Name String provider,
        @NotBlank @Name String model,
        @Size(max = MAX_TEXT_CHARS) String rubric,
        @Size(max = MAX_TEXT_CHARS) String criteria,
        @Name String scoreName,
        @Positive @Max(4096) Integer maxOutputTokens) {

    /** The task kind of judge calls: routing policies and spend reports see them under it. */
    public static final String TASK_KIND = "judge";

    public static final String DEFAULT_SCORE_NAME = "judge_score";

    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 300;

    public static final String DEFAULT_RUBRIC = """
            You grade the answer an AI model gave to a task.

            Task:
            {{question}}

            Answer:
            {{answer}}

            Criteria:
            {{criteria}}

            Reply with JSON only: {"score": a number from 0 (fails the criteria) to 1 (meets them fully), \
            "explanation": one or two sentences}.""";

    public JudgeSettings {
        rubric = rubric == null || rubric.isBlank() ? DEFAULT_RUBRIC : rubric;
        criteria = criteria == null || criteria.isBlank() ? "Correct, complete, and follows the task." : criteria;
        scoreName = scoreName == null || scoreName.isBlank() ? DEFAULT_SCORE_NAME : scoreName;
        maxOutputTokens = maxOutputTokens == null ? DEFAULT_MAX_OUTPUT_TOKENS : maxOutputTokens;
    }
}
