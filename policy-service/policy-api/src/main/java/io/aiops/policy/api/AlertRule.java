package io.aiops.policy.api;

import java.math.BigDecimal;

/**
 * A condition worth telling somebody about, and where to tell it. {@code project} scopes the rule like a budget
 * (unset: every project); the other fields are the parameters of its {@code kind} — a field the kind does not use is
 * refused rather than ignored. Fired alerts are posted to {@code webhookUrl} (Slack-compatible body) and, when
 * {@code zeebeMessageName} is set, published as a Zeebe message of that name.
 *
 * @param budgetId BUDGET_THRESHOLD: the budget watched (unset: every budget of the rule's project, or all budgets)
 * @param bpmnProcessId DAILY_SPEND_ABOVE, NEW_MODEL_FOR_WORKFLOW, MODEL_SHARE_JUMP, PRICE_CHANGED, QUALITY_DROP:
 *     narrows to one workflow
 * @param provider ERROR_RATE_ABOVE, PRICE_CHANGED, QUALITY_DROP: narrows to one provider (with or without
 *     {@code model})
 * @param model ERROR_RATE_ABOVE, PRICE_CHANGED, QUALITY_DROP: narrows to one model
 * @param thresholdUsd DAILY_SPEND_ABOVE: fires when the UTC day's spend is above this
 * @param thresholdPercent ERROR_RATE_ABOVE: failed attempts in percent; MODEL_SHARE_JUMP: percentage points;
 *     QUALITY_DROP: the smallest drop of the pass rate worth an alert, in percentage points (default 10);
 *     PROMPT_COST_JUMP: the rise of input tokens per call in percent (default 20, up to 1000)
 * @param window ERROR_RATE_ABOVE: the ISO-8601 duration looked back over, e.g. {@code PT15M}; QUALITY_DROP: the
 *     recent window compared with the 7 days before it (default {@code PT24H})
 * @param minAttempts ERROR_RATE_ABOVE: fewer attempts in the window never fire (default 10)
 * @param minCalls MODEL_SHARE_JUMP: fewer calls of the workflow in the last day never fire (default 10); QUALITY_DROP:
 *     fewer scored answers in the window, or in the baseline, never fire (default 20); PROMPT_COST_JUMP: fewer calls
 *     of either prompt version never fire (default 20)
 * @param scoreName QUALITY_DROP: narrows to one boolean score (e.g. {@code schema_valid}; unset: each one)
 */
public record AlertRule(
        String id,
        String project,
        AlertKind kind,
        String budgetId,
        String bpmnProcessId,
        String provider,
        String model,
        BigDecimal thresholdUsd,
        BigDecimal thresholdPercent,
        String window,
        Integer minAttempts,
        Integer minCalls,
        String webhookUrl,
        String zeebeMessageName,
        String scoreName) {

    /** A rule that watches no score. */
    public AlertRule(
            String id,
            String project,
            AlertKind kind,
            String budgetId,
            String bpmnProcessId,
            String provider,
            String model,
            BigDecimal thresholdUsd,
            BigDecimal thresholdPercent,
            String window,
            Integer minAttempts,
            Integer minCalls,
            String webhookUrl,
            String zeebeMessageName) {
        this(
                id,
                project,
                kind,
                budgetId,
                bpmnProcessId,
                provider,
                model,
                thresholdUsd,
                thresholdPercent,
                window,
                minAttempts,
                minCalls,
                webhookUrl,
                zeebeMessageName,
                null);
    }

    /** What a rule watches. */
    public enum AlertKind {
        /** A budget window's spent money crossed one of the budget's alert thresholds (SOFT budgets: also 100 %). */
        BUDGET_THRESHOLD,
        /** The spend of a project (or project × workflow) in the current UTC day is above {@code thresholdUsd}. */
        DAILY_SPEND_ABOVE,
        /** Failed attempts over all attempts in {@code window} are above {@code thresholdPercent}. */
        ERROR_RATE_ABOVE,
        /** A workflow used a model it never used before. */
        NEW_MODEL_FOR_WORKFLOW,
        /** A model's share of a workflow's calls over the last day is {@code thresholdPercent} points above the 7 days before. */
        MODEL_SHARE_JUMP,
        /** The scheduled audit verification found a broken chain. */
        AUDIT_CHAIN_BROKEN,
        /**
         * A catalog price of a model the project's workflows used in the last 7 days changed (a PUT, an import, a seed
         * or the scheduled sync): names the workflows and the cost effect at last week's volume.
         */
        PRICE_CHANGED,
        /**
         * The pass rate of a boolean score (per workflow, element, model and score name) in the last {@code window} is
         * significantly below its baseline, the 7 days before: a one-sided two-proportion z-test at the 1 % level, at
         * least {@code minCalls} scored answers on each side, and a drop of at least {@code thresholdPercent} points.
         */
        QUALITY_DROP,
        /**
         * A prompt's newest version (of those with at least {@code minCalls} calls in the last 14 days) sends more than
         * {@code thresholdPercent} % more input tokens per call than the version before it, per workflow and element.
         */
        PROMPT_COST_JUMP
    }
}
