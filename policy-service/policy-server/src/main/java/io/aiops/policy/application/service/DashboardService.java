package io.aiops.policy.application.service;

import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.QualityReport;
import io.aiops.policy.application.port.in.AlertRuleUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.BudgetUseCase;
import io.aiops.policy.application.port.in.DashboardQuery;
import io.aiops.policy.application.port.in.QualityQuery;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.LedgerRollups;
import io.aiops.policy.application.port.out.LedgerRollups.Group;
import io.aiops.policy.application.port.out.LedgerRollups.Scope;
import io.aiops.policy.domain.SpendDimension;
import io.aiops.policy.domain.report.LedgerFigures;
import io.aiops.policy.domain.report.SpendDrivers;
import io.aiops.policy.domain.report.SpendDrivers.Driver;
import io.aiops.policy.domain.report.SpendDrivers.ModelFigures;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.transaction.annotation.Transactional;

/** Dashboard figures from the ledger rollups; every query is limited to the caller's projects. */
public class DashboardService implements DashboardQuery {

    static final int DEFAULT_WORKFLOW_DAYS = 30;
    static final int DEFAULT_QUALITY_DAYS = 7;
    static final int TOP = 8;
    static final int HEADLINES = 3;

    private final LedgerRollups rollups;
    private final BudgetUseCase budgets;
    private final AlertRuleUseCase alerts;
    private final QualityQuery quality;
    private final Clock clock;

    public DashboardService(
            LedgerRollups rollups, BudgetUseCase budgets, AlertRuleUseCase alerts, QualityQuery quality, Clock clock) {
        this.rollups = rollups;
        this.budgets = budgets;
        this.alerts = alerts;
        this.quality = quality;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public Overview overview(ApiPrincipal actor) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Scope scope = new Scope(actor.projects(), null);
        Instant tomorrow = start(today.plusDays(1));
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate firstOfMonth = today.withDayOfMonth(1);
        List<Period> periods = List.of(
                period("today", start(today), tomorrow, scope),
                period("this week", start(monday), tomorrow, scope),
                period("this month", start(firstOfMonth), tomorrow, scope));
        LocalDate trendStart = today.minusDays(29);
        DailySeries trend = daily(trendStart, today.plusDays(1), scope, false);
        List<Ranked> topWorkflows =
                ranked(rollups.grouped(start(firstOfMonth), tomorrow, scope, List.of(SpendDimension.WORKFLOW)));
        List<Ranked> topModels =
                ranked(rollups.grouped(start(firstOfMonth), tomorrow, scope, List.of(SpendDimension.MODEL)));
        List<FiredAlert> recent = alerts.alerts(null, null, null, actor);
        return new Overview(
                now,
                periods,
                trend,
                topWorkflows.subList(0, Math.min(TOP, topWorkflows.size())),
                topModels.subList(0, Math.min(TOP, topModels.size())),
                burns(budgets.budgets(actor), now),
                recent);
    }

    @Override
    @Transactional(readOnly = true)
    public WorkflowView workflow(String bpmnProcessId, String from, String to, ApiPrincipal actor) {
        Range days = days(from, to, DEFAULT_WORKFLOW_DAYS);
        Scope scope = workflowScope(bpmnProcessId, actor);
        Instant start = start(days.from());
        Instant stop = start(days.to());
        List<Ranked> models = ranked(rollups.grouped(start, stop, scope, List.of(SpendDimension.MODEL)));
        List<Ranked> elements = ranked(rollups.grouped(start, stop, scope, List.of(SpendDimension.ELEMENT)));
        List<String> projects = rollups.grouped(start, stop, scope, List.of(SpendDimension.PROJECT)).stream()
                .map(g -> g.key().getFirst())
                .toList();
        List<BudgetStatus> covering = budgets.budgets(actor).stream()
                .filter(b -> covers(b.budget().scope(), projects, bpmnProcessId))
                .toList();
        return new WorkflowView(
                bpmnProcessId,
                start,
                stop,
                rollups.total(start, stop, scope),
                daily(days.from(), days.to(), scope, true),
                models,
                elements,
                rollups.costliestInstances(start, stop, scope, 10),
                burns(covering, clock.instant()));
    }

    @Override
    @Transactional(readOnly = true)
    public WorkflowQuality workflowQuality(String bpmnProcessId, String from, String to, ApiPrincipal actor) {
        Range days = days(from, to, DEFAULT_QUALITY_DAYS);
        workflowScope(bpmnProcessId, actor);
        Instant start = start(days.from());
        Instant stop = start(days.to());
        List<QualityReport.Group> byModel =
                quality.quality(start.toString(), stop.toString(), "workflow,model", actor).groups().stream()
                        .filter(g -> bpmnProcessId.equals(g.key().get("workflow")))
                        .toList();
        return new WorkflowQuality(bpmnProcessId, start, stop, byModel);
    }

    /** A page's days {@code [from, to)}: dates, by default the {@code defaultDays} up to and including today. */
    private record Range(LocalDate from, LocalDate to) {}

    private Range days(String from, String to, int defaultDays) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate end = to == null || to.isBlank() ? today.plusDays(1) : date("to", to);
        LocalDate begin = from == null || from.isBlank() ? end.minusDays(defaultDays) : date("from", from);
        if (!begin.isBefore(end)) {
            throw RequestRejected.invalid("from", "from must be before to");
        }
        if (begin.plusDays(ReportParameters.MAX_DAYS).isBefore(end)) {
            throw RequestRejected.invalid("from", "a report covers at most " + ReportParameters.MAX_DAYS + " days");
        }
        return new Range(begin, end);
    }

    /** The workflow in the caller's projects; a workflow they never ran is not there for them (404). */
    private Scope workflowScope(String bpmnProcessId, ApiPrincipal actor) {
        Scope scope = new Scope(actor.projects(), bpmnProcessId);
        if (!rollups.hasCalls(scope)) {
            throw RequestRejected.notFound("no workflow " + bpmnProcessId + " with AI calls in your projects");
        }
        return scope;
    }

    @Override
    @Transactional(readOnly = true)
    public WeeklyReview weeklyReview(String week, ApiPrincipal actor) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate monday = week == null || week.isBlank()
                ? today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1)
                : date("week", week).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate previous = monday.minusWeeks(1);
        Scope scope = new Scope(actor.projects(), null);
        List<SpendDimension> byWorkflowAndModel = List.of(SpendDimension.WORKFLOW, SpendDimension.MODEL);
        Map<String, List<Group>> before =
                byFirstKey(rollups.grouped(start(previous), start(monday), scope, byWorkflowAndModel));
        Map<String, List<Group>> after =
                byFirstKey(rollups.grouped(start(monday), start(monday.plusWeeks(1)), scope, byWorkflowAndModel));
        TreeSet<String> workflows = new TreeSet<>(before.keySet());
        workflows.addAll(after.keySet());
        List<WorkflowChange> changes = new ArrayList<>();
        for (String workflow : workflows) {
            List<Group> was = before.getOrDefault(workflow, List.of());
            List<Group> is = after.getOrDefault(workflow, List.of());
            SpendDrivers.Period p0 = period(was);
            SpendDrivers.Period p1 = period(is);
            changes.add(new WorkflowChange(
                    workflow,
                    SpendDrivers.decompose(p0, p1),
                    p0.calls(),
                    p1.calls(),
                    attempts(was),
                    attempts(is),
                    tokens(was),
                    tokens(is),
                    shares(was),
                    shares(is)));
        }
        changes.sort(
                Comparator.comparing((WorkflowChange c) -> c.drivers().change().abs())
                        .reversed()
                        .thenComparing(WorkflowChange::bpmnProcessId));
        BigDecimal beforeTotal =
                changes.stream().map(c -> c.drivers().before()).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal afterTotal = changes.stream().map(c -> c.drivers().after()).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new WeeklyReview(monday, previous, beforeTotal, afterTotal, changes, headlines(changes));
    }

    @Override
    @Transactional(readOnly = true)
    public List<BudgetBurn> budgets(ApiPrincipal actor) {
        return burns(budgets.budgets(actor), clock.instant());
    }

    // --- helpers

    private Period period(String name, Instant from, Instant to, Scope scope) {
        return new Period(name, from, to, rollups.total(from, to, scope));
    }

    /** Cost per day in [from, to), in total or per model. */
    private DailySeries daily(LocalDate from, LocalDate to, Scope scope, boolean perModel) {
        List<String> days = new ArrayList<>();
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            days.add(d.toString());
        }
        List<SpendDimension> dimensions =
                perModel ? List.of(SpendDimension.DAY, SpendDimension.MODEL) : List.of(SpendDimension.DAY);
        Map<String, List<BigDecimal>> series = new TreeMap<>();
        for (Group g : rollups.grouped(start(from), start(to), scope, dimensions)) {
            String name = perModel ? g.key().get(1) : "total";
            List<BigDecimal> values = series.computeIfAbsent(name, k -> zeros(days.size()));
            int index = days.indexOf(g.key().getFirst());
            if (index >= 0) {
                values.set(index, values.get(index).add(g.figures().costUsd()));
            }
        }
        if (!perModel && series.isEmpty()) {
            series.put("total", zeros(days.size()));
        }
        return new DailySeries(days, series);
    }

    private static List<BigDecimal> zeros(int size) {
        List<BigDecimal> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(BigDecimal.ZERO);
        }
        return list;
    }

    /** Groups keyed by one dimension, most expensive first. */
    private static List<Ranked> ranked(List<Group> groups) {
        return groups.stream()
                .map(g -> new Ranked(g.key().getFirst(), g.figures()))
                .sorted(Comparator.comparing((Ranked r) -> r.figures().costUsd())
                        .reversed()
                        .thenComparing(Ranked::name))
                .toList();
    }

    private static boolean covers(BudgetScope scope, List<String> projects, String workflow) {
        if (scope == null) {
            return true;
        }
        boolean projectMatches = scope.project() == null || projects.contains(scope.project());
        boolean workflowMatches =
                scope.bpmnProcessId() == null || scope.bpmnProcessId().equals(workflow);
        return projectMatches && workflowMatches;
    }

    /** Each budget with its linear projection: spent so far at the same pace over the rest of the window. */
    static List<BudgetBurn> burns(List<BudgetStatus> statuses, Instant now) {
        List<BudgetBurn> burns = new ArrayList<>();
        for (BudgetStatus s : statuses) {
            long window = Duration.between(s.windowStart(), s.windowEnd()).toMillis();
            long elapsed = Math.min(
                    window, Math.max(1, Duration.between(s.windowStart(), now).toMillis()));
            BigDecimal spent = s.spentUsd();
            BigDecimal projected = spent.multiply(BigDecimal.valueOf(window))
                    .divide(BigDecimal.valueOf(elapsed), 6, RoundingMode.HALF_UP);
            Instant exhaustion = null;
            BigDecimal limit = s.budget().limitUsd();
            if (spent.compareTo(limit) >= 0) {
                exhaustion = now;
            } else if (spent.signum() > 0 && projected.compareTo(limit) > 0) {
                long untilEmpty = limit.multiply(BigDecimal.valueOf(elapsed))
                        .divide(spent, 0, RoundingMode.HALF_UP)
                        .longValueExact();
                exhaustion = s.windowStart().plusMillis(untilEmpty);
            }
            burns.add(new BudgetBurn(s, projected, exhaustion));
        }
        return burns;
    }

    private static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw RequestRejected.invalid(field, field + " must be a date like 2026-11-20, not '" + value + "'");
        }
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Map<String, List<Group>> byFirstKey(List<Group> groups) {
        Map<String, List<Group>> map = new TreeMap<>();
        for (Group g : groups) {
            map.computeIfAbsent(g.key().getFirst(), k -> new ArrayList<>()).add(g);
        }
        return map;
    }

    /** A workflow's week as the drivers see it; its rows are per model (key: workflow, model). */
    private static SpendDrivers.Period period(List<Group> rows) {
        long calls = rows.stream().mapToLong(g -> g.figures().calls()).sum();
        Map<String, ModelFigures> models = new LinkedHashMap<>();
        for (Group g : rows) {
            LedgerFigures f = g.figures();
            models.put(g.key().get(1), new ModelFigures(f.attempts(), f.inputTokens() + f.outputTokens(), f.costUsd()));
        }
        return new SpendDrivers.Period(calls, models);
    }

    private static long attempts(List<Group> rows) {
        return rows.stream().mapToLong(g -> g.figures().attempts()).sum();
    }

    private static long tokens(List<Group> rows) {
        return rows.stream()
                .mapToLong(g -> g.figures().inputTokens() + g.figures().outputTokens())
                .sum();
    }

    /** Each model's share of the week's attempts, as a fraction. */
    private static Map<String, BigDecimal> shares(List<Group> rows) {
        long attempts = rows.stream().mapToLong(g -> g.figures().attempts()).sum();
        Map<String, BigDecimal> shares = new TreeMap<>();
        for (Group g : rows) {
            shares.put(
                    g.key().get(1),
                    BigDecimal.valueOf(g.figures().attempts())
                            .divide(BigDecimal.valueOf(attempts), MathContext.DECIMAL64));
        }
        return shares;
    }

    /** The largest driver effects over all workflows, each said in words with the figures behind it. */
    static List<Headline> headlines(List<WorkflowChange> changes) {
        record Effect(WorkflowChange change, Driver driver, BigDecimal usd) {}
        List<Effect> effects = new ArrayList<>();
        for (WorkflowChange c : changes) {
            c.drivers().effects().forEach((driver, usd) -> {
                if (usd.signum() != 0 && driver != Driver.OTHER) {
                    effects.add(new Effect(c, driver, usd));
                }
            });
        }
        effects.sort(Comparator.comparing((Effect e) -> e.usd().abs())
                .reversed()
                .thenComparing(e -> e.change().bpmnProcessId())
                .thenComparing(Effect::driver));
        return effects.stream()
                .limit(HEADLINES)
                .map(e -> new Headline(
                        e.change().bpmnProcessId(), e.driver().name(), e.usd(), words(e.change(), e.driver(), e.usd())))
                .toList();
    }

    private static String words(WorkflowChange c, Driver driver, BigDecimal usd) {
        // cents where there are dollars; below a dollar the micro-dollars, so a small change does not read as $0.00
        BigDecimal size = usd.abs();
        String amount = (usd.signum() > 0 ? "+$" : "-$")
                + size.setScale(size.compareTo(BigDecimal.ONE) >= 0 ? 2 : 6, RoundingMode.HALF_EVEN)
                        .toPlainString();
        String workflow = c.bpmnProcessId();
        return switch (driver) {
            case VOLUME ->
                "%s: %s from volume, %d calls after %d the week before"
                        .formatted(workflow, amount, c.callsAfter(), c.callsBefore());
            case MIX -> "%s: %s from the model mix, %s".formatted(workflow, amount, mixShift(c));
            case TOKENS ->
                "%s: %s from tokens per attempt, %s after %s"
                        .formatted(
                                workflow,
                                amount,
                                perAttempt(c.tokensAfter(), c.attemptsAfter()),
                                perAttempt(c.tokensBefore(), c.attemptsBefore()));
            case PRICE -> "%s: %s from prices (cost per token of the models used)".formatted(workflow, amount);
            case OTHER -> "%s: %s not explained by the four drivers".formatted(workflow, amount);
        };
    }

    /** The model whose share of attempts moved most, e.g. "gpt-4o 20% of attempts after 5%" or "new model x". */
    private static String mixShift(WorkflowChange c) {
        TreeSet<String> models = new TreeSet<>(c.attemptShareBefore().keySet());
        models.addAll(c.attemptShareAfter().keySet());
        String moved = null;
        BigDecimal most = BigDecimal.ZERO;
        for (String m : models) {
            BigDecimal delta = c.attemptShareAfter()
                    .getOrDefault(m, BigDecimal.ZERO)
                    .subtract(c.attemptShareBefore().getOrDefault(m, BigDecimal.ZERO))
                    .abs();
            // on a tie a model that came or went names the shift better than one whose share merely changed
            boolean cameOrWent = !c.attemptShareBefore().containsKey(m)
                    || !c.attemptShareAfter().containsKey(m);
            if (moved == null || delta.compareTo(most) > 0 || (delta.compareTo(most) == 0 && cameOrWent)) {
                moved = m;
                most = delta;
            }
        }
        if (moved == null) {
            return "no model";
        }
        if (!c.attemptShareBefore().containsKey(moved)) {
            return "new model " + moved + " took "
                    + percent(c.attemptShareAfter().get(moved)) + " of attempts";
        }
        if (!c.attemptShareAfter().containsKey(moved)) {
            return moved + " no longer used (" + percent(c.attemptShareBefore().get(moved)) + " of attempts before)";
        }
        return moved + " " + percent(c.attemptShareAfter().get(moved)) + " of attempts after "
                + percent(c.attemptShareBefore().get(moved));
    }

    private static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).setScale(0, RoundingMode.HALF_UP) + "%";
    }

    /** Tokens per attempt as the driver counts them (a failed-over call's attempts each count). */
    private static String perAttempt(long tokens, long attempts) {
        return attempts == 0
                ? "none"
                : BigDecimal.valueOf(tokens)
                        .divide(BigDecimal.valueOf(attempts), 0, RoundingMode.HALF_UP)
                        .toPlainString();
    }
}
