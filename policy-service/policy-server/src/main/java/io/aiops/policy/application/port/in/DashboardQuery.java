package io.aiops.policy.application.port.in;

import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.QualityReport;
import io.aiops.policy.domain.report.InstanceSpend;
import io.aiops.policy.domain.report.LedgerFigures;
import io.aiops.policy.domain.report.SpendDrivers.Decomposition;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The figures behind the dashboards, read from the ledger rollups and limited to the projects of the caller's key.
 * Days and weeks are UTC calendar days and ISO weeks (from Monday).
 */
public interface DashboardQuery {

    /** Spend today, this week and this month, the last 30 days by day, what spent most this month, budgets, alerts. */
    Overview overview(ApiPrincipal actor);

    /**
     * One workflow over {@code [from, to)} (dates; default the last 30 days up to today): 404 when the caller's
     * projects have no call of it at all.
     */
    WorkflowView workflow(String bpmnProcessId, String from, String to, ApiPrincipal actor);

    /**
     * Quality of one workflow's calls per model over {@code [from, to)} (dates; default the last 7 days up to today),
     * read from the score ledger (not rolled up: slower than the workflow page over long ranges); 404 as for
     * {@link #workflow}.
     */
    WorkflowQuality workflowQuality(String bpmnProcessId, String from, String to, ApiPrincipal actor);

    /**
     * The ISO week holding {@code week} (a date; default the last complete week) against the week before, with the
     * change per workflow split into its drivers.
     */
    WeeklyReview weeklyReview(String week, ApiPrincipal actor);

    /** Every budget the caller may see, with its window so far and where it is heading. */
    List<BudgetBurn> budgets(ApiPrincipal actor);

    /** A named stretch of time and what was spent in it. */
    record Period(String name, Instant from, Instant to, LedgerFigures figures) {}

    /** Cost per day (UTC dates, every day of the range) per series (a model, or "total"). */
    record DailySeries(List<String> days, Map<String, List<BigDecimal>> costUsd) {}

    /** A named group (a workflow, model, element) and its figures. */
    record Ranked(String name, LedgerFigures figures) {}

    /**
     * A budget's window so far and, at the pace of its spending so far, what it will have spent at the window's end
     * and when it would run out (null when it would not within the window).
     */
    record BudgetBurn(BudgetStatus status, BigDecimal projectedUsd, Instant projectedExhaustion) {}

    record Overview(
            Instant now,
            List<Period> periods,
            DailySeries trend,
            List<Ranked> topWorkflows,
            List<Ranked> topModels,
            List<BudgetBurn> budgets,
            List<FiredAlert> alerts) {}

    record WorkflowView(
            String bpmnProcessId,
            Instant from,
            Instant to,
            LedgerFigures totals,
            DailySeries byModel,
            List<Ranked> models,
            List<Ranked> elements,
            List<InstanceSpend> costliestInstances,
            List<BudgetBurn> budgets) {}

    record WorkflowQuality(String bpmnProcessId, Instant from, Instant to, List<QualityReport.Group> byModel) {}

    /** One workflow's two weeks and what drove the change, with the figures the drivers are made of. */
    record WorkflowChange(
            String bpmnProcessId,
            Decomposition drivers,
            long callsBefore,
            long callsAfter,
            long attemptsBefore,
            long attemptsAfter,
            long tokensBefore,
            long tokensAfter,
            Map<String, BigDecimal> attemptShareBefore,
            Map<String, BigDecimal> attemptShareAfter) {}

    /** The largest driver effects over all workflows, in words. */
    record Headline(String bpmnProcessId, String driver, BigDecimal effectUsd, String text) {}

    record WeeklyReview(
            LocalDate weekStart,
            LocalDate previousWeekStart,
            BigDecimal before,
            BigDecimal after,
            List<WorkflowChange> workflows,
            List<Headline> headlines) {}
}
