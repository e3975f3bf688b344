package io.aiops.policy.api;

import java.math.BigDecimal;

/**
 * A condition worth telling somebody about, and where to tell it. {@code project} scopes the rule like a budget
 * (unset: every project); the other fields are the parameters of its {@code kind} — a field the kind does not use is
 * refused rather than ignored. Fired alerts are posted to {@code webhookUrl} (Slack-compatible body) and, when
 * {@code zeebeMessageName} is set, published as a Zeebe message of that name.
 *
 * @param budgetId BUDGET_THRESHOLD: the budget watched (unset: every budget of the rule's project, or all budgets)
 * @param bpmnProcessId DAILY_SPEND_ABOVE, NEW_MODEL_FOR_WORKFLOW, MODEL_SHARE_JUMP, PRICE_CHANGED: narrows to one
 *     workflow
 * @param provider ERROR_RATE_ABOVE, PRICE_CHANGED: narrows to one provider (with or without {@code model})
 * @param model ERROR_RATE_ABOVE, PRICE_CHANGED: narrows to one model
 * @param thresholdUsd DAILY_SPEND_ABOVE: fires when the UTC day's spend is above this
 * @param thresholdPercent ERROR_RATE_ABOVE: failed attempts in percent; MODEL_SHARE_JUMP: percentage points
 * @param window ERROR_RATE_ABOVE: the ISO-8601 duration looked back over, e.g. {@code PT15M}
 * @param minAttempts ERROR_RATE_ABOVE: fewer attempts in the window never fire (default 10)
 * @param minCalls MODEL_SHARE_JUMP: fewer calls of the workflow in the last day never fire (default 10)
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
        String zeebeMessageName) {

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
        PRICE_CHANGED
    }
}
