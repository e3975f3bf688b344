package io.aiops.policy.application.service;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.application.port.in.EvaluateAlertsUseCase;
import io.aiops.policy.application.port.out.AlertRuleStore;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertSignals.AttemptCounts;
import io.aiops.policy.application.port.out.AlertSignals.FirstUse;
import io.aiops.policy.application.port.out.AlertSignals.ModelCalls;
import io.aiops.policy.application.port.out.AlertSignals.ScopeSpend;
import io.aiops.policy.application.port.out.AlertStore;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetThresholds;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.audit.ChainVerdict;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which alert conditions hold and records each alert once per rule × subject × period: budget thresholds
 * when an outcome settles (from the window's spent before and after, no scan), the ledger rules on a schedule. The
 * store's unique key decides between evaluations and replicas, so a condition that stays true fires once.
 */
public class AlertEvaluationService implements EvaluateAlertsUseCase {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluationService.class);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final Duration SHARE_RECENT = Duration.ofDays(1);
    private static final Duration SHARE_BASELINE = Duration.ofDays(7);

    private final AlertRuleStore rules;
    private final AlertStore alerts;
    private final AlertSignals signals;
    private final BudgetStore budgets;
    private final Clock clock;
    private final AlertFiring firing;

    public AlertEvaluationService(
            AlertRuleStore rules, AlertStore alerts, AlertSignals signals, BudgetStore budgets, Clock clock) {
        this.rules = rules;
        this.alerts = alerts;
        this.firing = new AlertFiring(alerts);
        this.signals = signals;
        this.budgets = budgets;
        this.clock = clock;
    }

    /**
     * Called in the transaction that posts spent money to a budget window: raises BUDGET_THRESHOLD alerts for the
     * thresholds this posting crossed. The window row is locked by that posting, so concurrent settles see distinct
     * before/after figures and each threshold is crossed by exactly one of them.
     */
    public void budgetSettled(String budgetId, Instant windowStart, BigDecimal spentBefore, BigDecimal spentAfter) {
        if (spentAfter.compareTo(spentBefore) <= 0) {
            return;
        }
        BudgetRule budget = budgets.findById(budgetId).orElse(null);
        if (budget == null) {
            return;
        }
        BudgetDefinition d = budget.definition();
        List<Integer> crossed =
                BudgetThresholds.crossed(d.limitUsd(), d.mode(), d.alertThresholds(), spentBefore, spentAfter);
        if (crossed.isEmpty()) {
            return;
        }
        String project = d.scope() == null ? null : d.scope().project();
        List<StoredRule> watching = rules.findByKinds(List.of(AlertKind.BUDGET_THRESHOLD)).stream()
                .filter(r -> r.rule().budgetId() == null
                        ? r.rule().project() == null || r.rule().project().equals(project)
                        : r.rule().budgetId().equals(budgetId))
                .toList();
        Instant now = clock.instant();
        for (StoredRule rule : watching) {
            for (int threshold : crossed) {
                Map<String, String> details = new LinkedHashMap<>();
                details.put("budgetId", budgetId);
                details.put("mode", d.mode().name());
                details.put("period", d.period().name());
                details.put("threshold", String.valueOf(threshold));
                details.put("limitUsd", Money.shown(d.limitUsd()).toPlainString());
                details.put("spentUsd", Money.shown(spentAfter).toPlainString());
                details.put("windowStart", windowStart.toString());
                String message = (threshold == 100 && d.mode() == BudgetDefinition.BudgetMode.SOFT
                                ? "SOFT budget " + budgetId + " reached its limit (it keeps allowing calls)"
                                : "Budget " + budgetId + " reached " + threshold + " % of its limit")
                        + ": " + details.get("spentUsd") + " of " + details.get("limitUsd") + " USD spent this "
                        + d.period()
                        + " (window from " + windowStart + ")";
                fire(rule, project, "budget:" + budgetId, windowStart + "@" + threshold + "%", message, details, now);
            }
        }
    }

    @Override
    public int evaluateScheduledRules() {
        Instant now = clock.instant();
        int fired = 0;
        for (StoredRule rule : rules.findByKinds(List.copyOf(AlertRuleService.SCHEDULED))) {
            try {
                fired += switch (rule.rule().kind()) {
                    case DAILY_SPEND_ABOVE -> dailySpend(rule, now);
                    case ERROR_RATE_ABOVE -> errorRate(rule, now);
                    case NEW_MODEL_FOR_WORKFLOW -> newModels(rule, now);
                    case MODEL_SHARE_JUMP -> shareJumps(rule, now);
                    default -> 0;
                };
            } catch (RuntimeException e) {
                // one rule that cannot be evaluated must not silence the others
                LOG.error("Alert rule {} could not be evaluated", rule.rule().id(), e);
            }
        }
        return fired;
    }

    @Override
    public int auditChainsBroken(List<ChainVerdict> broken) {
        Instant now = clock.instant();
        List<StoredRule> watching = rules.findByKinds(List.of(AlertKind.AUDIT_CHAIN_BROKEN));
        int fired = 0;
        for (ChainVerdict verdict : broken) {
            String project = AuditRecorder.ORGANISATION.equals(verdict.project()) ? null : verdict.project();
            for (StoredRule rule : watching) {
                if (rule.rule().project() != null && !rule.rule().project().equals(project)) {
                    continue;
                }
                Map<String, String> details = new LinkedHashMap<>();
                details.put("chain", verdict.project());
                details.put("brokenSeq", String.valueOf(verdict.brokenSeq()));
                details.put("brokenEntryId", String.valueOf(verdict.brokenEntryId()));
                details.put("problem", verdict.problem());
                String message = "Audit chain of " + verdict.project() + " is broken at entry " + verdict.brokenSeq()
                        + ": " + verdict.problem();
                // one alert per break: the hourly verification finding the same entry again stays quiet
                if (fire(
                        rule,
                        project,
                        "audit-chain:" + verdict.project(),
                        "entry:" + verdict.brokenSeq() + ":" + verdict.brokenEntryId(),
                        message,
                        details,
                        now)) {
                    fired++;
                }
            }
        }
        return fired;
    }

    private int dailySpend(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        Instant dayStart = now.truncatedTo(ChronoUnit.DAYS);
        int fired = 0;
        for (ScopeSpend spend :
                signals.spend(rule.project(), rule.bpmnProcessId(), dayStart, dayStart.plus(1, ChronoUnit.DAYS))) {
            if (spend.costUsd().compareTo(rule.thresholdUsd()) <= 0) {
                continue;
            }
            String scope = "project:" + spend.project()
                    + (spend.bpmnProcessId() == null ? "" : "/workflow:" + spend.bpmnProcessId());
            Map<String, String> details = new LinkedHashMap<>();
            details.put("project", spend.project());
            if (spend.bpmnProcessId() != null) {
                details.put("bpmnProcessId", spend.bpmnProcessId());
            }
            details.put("spentUsd", Money.shown(spend.costUsd()).toPlainString());
            details.put("thresholdUsd", Money.shown(rule.thresholdUsd()).toPlainString());
            details.put("day", dayStart.atOffset(ZoneOffset.UTC).toLocalDate().toString());
            String message = "Spend of " + scope + " today (UTC) is " + details.get("spentUsd") + " USD, above "
                    + details.get("thresholdUsd") + " USD";
            if (fire(stored, spend.project(), scope, details.get("day"), message, details, now)) {
                fired++;
            }
        }
        return fired;
    }

    private int errorRate(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        Duration window = Duration.parse(rule.window());
        long seconds = window.getSeconds();
        // windows aligned to the epoch: a lasting condition is reported once per window, not at every evaluation
        long epoch = now.getEpochSecond();
        Instant bucket = Instant.ofEpochSecond(epoch - Math.floorMod(epoch, seconds));
        boolean narrowed = rule.provider() != null || rule.model() != null;
        int fired = 0;
        for (AttemptCounts counts :
                signals.attempts(rule.project(), rule.provider(), rule.model(), now.minus(window), now)) {
            if (counts.attempts() < rule.minAttempts()) {
                continue;
            }
            // failed / attempts * 100 > threshold, exactly, without dividing
            BigDecimal failedPercentTimesAttempts =
                    BigDecimal.valueOf(counts.failed()).multiply(HUNDRED);
            if (failedPercentTimesAttempts.compareTo(
                            rule.thresholdPercent().multiply(BigDecimal.valueOf(counts.attempts())))
                    <= 0) {
                continue;
            }
            String subject = narrowed
                    ? (counts.project() == null ? "" : "project:" + counts.project() + "/")
                            + (rule.model() != null
                                    ? "model:" + (rule.provider() == null ? "" : rule.provider() + "/") + rule.model()
                                    : "provider:" + rule.provider())
                    : "project:" + counts.project();
            BigDecimal rate = BigDecimal.valueOf(counts.failed())
                    .multiply(HUNDRED)
                    .divide(BigDecimal.valueOf(counts.attempts()), 1, RoundingMode.HALF_UP);
            Map<String, String> details = new LinkedHashMap<>();
            if (counts.project() != null) {
                details.put("project", counts.project());
            }
            details.put("attempts", String.valueOf(counts.attempts()));
            details.put("failed", String.valueOf(counts.failed()));
            details.put("errorRatePercent", rate.toPlainString());
            details.put("thresholdPercent", rule.thresholdPercent().toPlainString());
            details.put("window", rule.window());
            String message =
                    "Error rate of " + subject + " is " + rate.toPlainString() + " % (" + counts.failed() + " of "
                            + counts.attempts() + " attempts failed in the last " + rule.window() + "), above "
                            + rule.thresholdPercent().toPlainString() + " %";
            if (fire(stored, counts.project(), subject, bucket + "/" + rule.window(), message, details, now)) {
                fired++;
            }
        }
        return fired;
    }

    private int newModels(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        int fired = 0;
        for (FirstUse use : signals.firstUsesSince(rule.project(), rule.bpmnProcessId(), stored.createdAt())) {
            String model = use.provider() + "/" + use.model();
            Map<String, String> details = new LinkedHashMap<>();
            details.put("project", use.project());
            details.put("bpmnProcessId", use.bpmnProcessId());
            details.put("provider", use.provider());
            details.put("model", use.model());
            details.put("firstUsedAt", use.firstUsedAt().toString());
            String message = "Workflow " + use.bpmnProcessId() + " of project " + use.project() + " used model " + model
                    + " for the first time at " + use.firstUsedAt();
            // once ever per workflow and model
            if (fire(
                    stored,
                    use.project(),
                    workflowModel(use.project(), use.bpmnProcessId(), model),
                    "first-use",
                    message,
                    details,
                    now)) {
                fired++;
            }
        }
        return fired;
    }

    private int shareJumps(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        Instant recentStart = now.minus(SHARE_RECENT);
        Map<String, List<ModelCalls>> recent =
                byWorkflow(signals.modelCalls(rule.project(), rule.bpmnProcessId(), recentStart, now));
        Map<String, List<ModelCalls>> baseline = byWorkflow(signals.modelCalls(
                rule.project(), rule.bpmnProcessId(), recentStart.minus(SHARE_BASELINE), recentStart));
        String day = now.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        int fired = 0;
        for (Map.Entry<String, List<ModelCalls>> workflow : recent.entrySet()) {
            long recentTotal =
                    workflow.getValue().stream().mapToLong(ModelCalls::calls).sum();
            List<ModelCalls> before = baseline.getOrDefault(workflow.getKey(), List.of());
            long baselineTotal = before.stream().mapToLong(ModelCalls::calls).sum();
            // without a baseline every model "jumps" from nothing: that is NEW_MODEL_FOR_WORKFLOW's case, not this
            // one's
            if (recentTotal < rule.minCalls() || baselineTotal == 0) {
                continue;
            }
            for (ModelCalls modelNow : workflow.getValue()) {
                long earlier = before.stream()
                        .filter(m -> m.provider().equals(modelNow.provider())
                                && m.model().equals(modelNow.model()))
                        .mapToLong(ModelCalls::calls)
                        .sum();
                // (now/recentTotal - earlier/baselineTotal) * 100 > threshold, multiplied out to stay exact
                BigDecimal jumpTimesTotals = BigDecimal.valueOf(
                                modelNow.calls() * baselineTotal - earlier * recentTotal)
                        .multiply(HUNDRED);
                BigDecimal limit = rule.thresholdPercent().multiply(BigDecimal.valueOf(recentTotal * baselineTotal));
                if (jumpTimesTotals.compareTo(limit) <= 0) {
                    continue;
                }
                BigDecimal shareNow = share(modelNow.calls(), recentTotal);
                BigDecimal shareBefore = share(earlier, baselineTotal);
                String model = modelNow.provider() + "/" + modelNow.model();
                Map<String, String> details = new LinkedHashMap<>();
                details.put("project", modelNow.project());
                details.put("bpmnProcessId", modelNow.bpmnProcessId());
                details.put("provider", modelNow.provider());
                details.put("model", modelNow.model());
                details.put("sharePercentLastDay", shareNow.toPlainString());
                details.put("sharePercentPrevious7Days", shareBefore.toPlainString());
                details.put("callsLastDay", String.valueOf(recentTotal));
                details.put("thresholdPercentPoints", rule.thresholdPercent().toPlainString());
                String message = "Model " + model + " served " + shareNow.toPlainString() + " % of workflow "
                        + modelNow.bpmnProcessId() + "'s calls in the last day, up from " + shareBefore.toPlainString()
                        + " % over the 7 days before";
                if (fire(
                        stored,
                        modelNow.project(),
                        workflowModel(modelNow.project(), modelNow.bpmnProcessId(), model),
                        day,
                        message,
                        details,
                        now)) {
                    fired++;
                }
            }
        }
        return fired;
    }

    private static Map<String, List<ModelCalls>> byWorkflow(List<ModelCalls> calls) {
        return calls.stream()
                .collect(Collectors.groupingBy(
                        c -> c.project() + "\u0000" + c.bpmnProcessId(), LinkedHashMap::new, Collectors.toList()));
    }

    private static BigDecimal share(long part, long total) {
        return BigDecimal.valueOf(part).multiply(HUNDRED).divide(BigDecimal.valueOf(total), 1, RoundingMode.HALF_UP);
    }

    private static String workflowModel(String project, String bpmnProcessId, String model) {
        return "project:" + project + "/workflow:" + bpmnProcessId + "/model:" + model;
    }

    /** Records the alert with a delivery per channel of the rule; false when this rule × subject × period had fired. */
    private boolean fire(
            StoredRule stored,
            String project,
            String subject,
            String period,
            String message,
            Map<String, String> details,
            Instant now) {
        return firing.fire(stored, project, subject, period, message, details, now);
    }
}
