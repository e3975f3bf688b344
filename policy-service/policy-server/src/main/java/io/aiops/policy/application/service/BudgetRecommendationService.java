package io.aiops.policy.application.service;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.BudgetRecommendation;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.BudgetRecommendationQuery;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.SpendLedger;
import io.aiops.policy.application.port.out.SpendLedger.SpendRow;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.SpendDimension;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.transaction.annotation.Transactional;

/**
 * Suggests caps at 120 % of the spend observed over the trailing period length (1, 7 or 30 days), per project and
 * per project × workflow, so a new HARD budget starts with headroom above normal use instead of a guess.
 */
public class BudgetRecommendationService implements BudgetRecommendationQuery {

    private static final BigDecimal HEADROOM = new BigDecimal("1.2");
    private static final BigDecimal SMALLEST_CAP = new BigDecimal("0.01");

    private final SpendLedger ledger;
    private final BudgetStore budgets;
    private final Clock clock;

    public BudgetRecommendationService(SpendLedger ledger, BudgetStore budgets, Clock clock) {
        this.ledger = ledger;
        this.budgets = budgets;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public List<BudgetRecommendation> recommend(BudgetPeriod period, ApiPrincipal actor) {
        Instant to = clock.instant();
        Instant from = to.minus(lengthOf(period));
        List<BudgetRule> existing = budgets.findAll();
        List<BudgetRecommendation> recommendations = new ArrayList<>();
        for (SpendRow row : ledger.spend(from, to, List.of(SpendDimension.PROJECT), Map.of(), actor.projects())) {
            recommendations.add(
                    recommendation(new BudgetScope(row.key().get(0), null), period, row.costUsd(), existing));
        }
        for (SpendRow row : ledger.spend(
                from, to, List.of(SpendDimension.PROJECT, SpendDimension.WORKFLOW), Map.of(), actor.projects())) {
            recommendations.add(recommendation(
                    new BudgetScope(row.key().get(0), row.key().get(1)), period, row.costUsd(), existing));
        }
        return recommendations;
    }

    private static BudgetRecommendation recommendation(
            BudgetScope scope, BudgetPeriod period, BigDecimal observed, List<BudgetRule> existing) {
        BigDecimal cap =
                observed.multiply(HEADROOM).setScale(2, RoundingMode.CEILING).max(SMALLEST_CAP);
        Optional<BudgetDefinition> same = existing.stream()
                .map(BudgetRule::definition)
                .filter(d -> d.mode() == BudgetDefinition.BudgetMode.HARD && d.period() == period)
                .filter(d -> d.scope() != null && Objects.equals(d.scope(), scope))
                .findFirst();
        return new BudgetRecommendation(
                scope,
                period,
                Money.shown(observed),
                cap,
                same.map(BudgetDefinition::id).orElse(null),
                same.map(d -> Money.shown(d.limitUsd())).orElse(null));
    }

    private static Duration lengthOf(BudgetPeriod period) {
        return switch (period) {
            case DAY -> Duration.ofDays(1);
            case WEEK -> Duration.ofDays(7);
            case MONTH -> Duration.ofDays(30);
        };
    }
}
