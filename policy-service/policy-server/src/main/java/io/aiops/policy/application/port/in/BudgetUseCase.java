package io.aiops.policy.application.port.in;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetReconciliation;
import io.aiops.policy.api.BudgetStatus;

/** Defines budgets and reports the figures of their current window. */
public interface BudgetUseCase {

    BudgetStatus putBudget(String id, BudgetDefinition definition, ApiPrincipal actor);

    BudgetStatus getBudget(String id, ApiPrincipal actor);

    /** The current window of every budget the actor may see, ordered by id. */
    java.util.List<BudgetStatus> budgets(ApiPrincipal actor);

    /** Recomputes the budget's figures from its holds and the ledger and says whether they agree. */
    BudgetReconciliation reconcile(String id, ApiPrincipal actor);
}
