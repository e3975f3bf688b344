package io.aiops.policy.adapter.in.schedule;

import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.BudgetUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Budget gauges for the Prometheus endpoint, refreshed on a schedule (one read of every budget's current window, not a
 * query per scrape): {@code aiops.budget.remaining}, {@code aiops.budget.spent}, {@code aiops.budget.reserved} and
 * {@code aiops.budget.limit} in USD, by budget id, project (empty: organisation-wide), period and mode. A deleted
 * budget's gauges go away at the next refresh.
 */
@Component
class BudgetGaugesJob {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetGaugesJob.class);

    private final BudgetUseCase budgets;
    private final MultiGauge remaining;
    private final MultiGauge spent;
    private final MultiGauge reserved;
    private final MultiGauge limit;

    BudgetGaugesJob(BudgetUseCase budgets, MeterRegistry meters) {
        this.budgets = budgets;
        this.remaining = gauge(meters, "aiops.budget.remaining", "Money left in the budget's current window");
        this.spent = gauge(meters, "aiops.budget.spent", "Money spent in the budget's current window");
        this.reserved = gauge(meters, "aiops.budget.reserved", "Money held for calls in flight in the current window");
        this.limit = gauge(meters, "aiops.budget.limit", "The budget's limit per window");
    }

    private static MultiGauge gauge(MeterRegistry meters, String name, String description) {
        return MultiGauge.builder(name).description(description).baseUnit("usd").register(meters);
    }

    @Scheduled(
            fixedDelayString = "${aiops.metrics.budget-refresh:PT30S}",
            initialDelayString = "${aiops.metrics.budget-refresh:PT30S}")
    void refresh() {
        List<BudgetStatus> all;
        try {
            all = budgets.budgets(ApiPrincipal.SYSTEM);
        } catch (RuntimeException e) {
            LOG.warn("Budget gauges not refreshed: {}", e.toString());
            return;
        }
        remaining.register(rows(all, Figure.REMAINING), true);
        spent.register(rows(all, Figure.SPENT), true);
        reserved.register(rows(all, Figure.RESERVED), true);
        limit.register(rows(all, Figure.LIMIT), true);
    }

    private enum Figure {
        REMAINING,
        SPENT,
        RESERVED,
        LIMIT
    }

    private static List<MultiGauge.Row<?>> rows(List<BudgetStatus> all, Figure figure) {
        return all.stream()
                .<MultiGauge.Row<?>>map(s -> MultiGauge.Row.of(
                        Tags.of(
                                "budget", s.budget().id(),
                                "project",
                                        s.budget().scope() == null
                                                        || s.budget().scope().project() == null
                                                ? ""
                                                : s.budget().scope().project(),
                                "period", s.budget().period().name(),
                                "mode", s.budget().mode().name()),
                        switch (figure) {
                            case REMAINING -> s.remainingUsd().doubleValue();
                            case SPENT -> s.spentUsd().doubleValue();
                            case RESERVED -> s.reservedUsd().doubleValue();
                            case LIMIT -> s.budget().limitUsd().doubleValue();
                        }))
                .toList();
    }
}
