package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetRecommendation;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.BudgetRecommendationQuery;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Suggested budget caps from observed spend. */
@RestController
class BudgetRecommendationController {

    private final BudgetRecommendationQuery recommendations;

    BudgetRecommendationController(BudgetRecommendationQuery recommendations) {
        this.recommendations = recommendations;
    }

    @GetMapping("/api/v1/budget-recommendations")
    List<BudgetRecommendation> recommend(
            @RequestParam(defaultValue = "MONTH") BudgetPeriod period,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return recommendations.recommend(period, principal);
    }
}
