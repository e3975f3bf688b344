package io.aiops.policy.application.port.in;

import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetRecommendation;
import java.util.List;

/** Suggests budget caps from observed spend. */
public interface BudgetRecommendationQuery {

    /** One recommendation per project and per project × workflow that spent money over the last period length. */
    List<BudgetRecommendation> recommend(BudgetPeriod period, ApiPrincipal actor);
}
