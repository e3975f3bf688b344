package io.aiops.worker.budget;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import java.math.BigDecimal;
import java.util.function.Supplier;

/**
 * Raises a budget's limit through the policy API ({@code GET} then {@code PUT /api/v1/budgets/{id}} with only the
 * limit changed), after the approval the process recorded; the {@code PUT} is made on behalf of the approver, whom the
 * policy audit entry names. A limit already at the requested value counts as done, so
 * a redelivered job does not fail after the first delivery's change went through.
 */
public final class BudgetRaiser {

    private final PolicyClient policy;
    private final BigDecimal maxLimitUsd;

    /** @param maxLimitUsd the highest limit a raise may set, or null for no ceiling */
    public BudgetRaiser(PolicyClient policy, BigDecimal maxLimitUsd) {
        this.policy = policy;
        this.maxLimitUsd = maxLimitUsd;
    }

    /** What the raise did: the limits before and after, and whether the new one was already in force. */
    public record BudgetRaised(
            String budgetId,
            BigDecimal previousLimitUsd,
            BigDecimal newLimitUsd,
            BigDecimal spentUsd,
            String approvedBy,
            String approvalNote,
            boolean alreadyInForce) {}

    /**
     * @throws BudgetRaiseRefused for an unknown budget, a limit not above the current one or above the ceiling, or a
     *     change the policy service refuses
     * @throws PolicyServiceException when the policy service cannot be asked now (retrying later may work)
     */
    public BudgetRaised raise(BudgetRaiseRequest request) {
        BudgetStatus current = call(() -> policy.getBudget(request.budgetId()), request);
        BudgetDefinition definition = current.budget();
        BigDecimal previous = definition.limitUsd();
        int comparison = request.newLimitUsd().compareTo(previous);
        if (comparison == 0) {
            return raised(request, previous, current, true);
        }
        if (comparison < 0) {
            throw new BudgetRaiseRefused(
                    BudgetRaiseRefused.INVALID,
                    "newLimitUsd " + request.newLimitUsd().toPlainString() + " is not above the current limit "
                            + previous.toPlainString() + " of budget " + request.budgetId());
        }
        if (maxLimitUsd != null && request.newLimitUsd().compareTo(maxLimitUsd) > 0) {
            throw new BudgetRaiseRefused(
                    BudgetRaiseRefused.REFUSED,
                    "newLimitUsd " + request.newLimitUsd().toPlainString() + " is above the ceiling "
                            + maxLimitUsd.toPlainString() + " this worker may set (aiops.budget-raise.max-limit-usd)");
        }
        BudgetDefinition raisedDefinition = new BudgetDefinition(
                request.budgetId(),
                definition.scope(),
                definition.period(),
                request.newLimitUsd(),
                definition.mode(),
                definition.timeZone(),
                definition.alertThresholds());
        // the audit entry of the change names the approver as well as this worker's key
        BudgetStatus after = call(() -> policy.onBehalfOf(request.approvedBy()).putBudget(raisedDefinition), request);
        return raised(request, previous, after, false);
    }

    private static BudgetRaised raised(
            BudgetRaiseRequest request, BigDecimal previous, BudgetStatus status, boolean alreadyInForce) {
        return new BudgetRaised(
                request.budgetId(),
                previous,
                status.budget().limitUsd(),
                status.spentUsd(),
                request.approvedBy(),
                request.approvalNote(),
                alreadyInForce);
    }

    private static BudgetStatus call(Supplier<BudgetStatus> call, BudgetRaiseRequest request) {
        try {
            return call.get();
        } catch (PolicyServiceException e) {
            if (e.isTransient()) {
                throw e;
            }
            if (e.status() == 404) {
                throw new BudgetRaiseRefused(BudgetRaiseRefused.NOT_FOUND, "no budget " + request.budgetId());
            }
            throw new BudgetRaiseRefused(
                    BudgetRaiseRefused.REFUSED,
                    "the policy service refused to change budget " + request.budgetId() + " (" + e.status() + "): "
                            + e.getMessage());
        }
    }
}
