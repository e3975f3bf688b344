package io.aiops.policy.application.service;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.Name;
import io.aiops.policy.api.RequestLimits;
import io.aiops.policy.application.port.in.AlertRuleUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.AlertRuleStore;
import io.aiops.policy.application.port.out.AlertStore;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.OutboundPolicy;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Defines alert rules and lists fired alerts. A rule is checked whole before it is stored: each kind takes only the
 * parameters it uses, so a misplaced field is refused instead of silently doing nothing.
 */
public class AlertRuleService implements AlertRuleUseCase {

    private static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(7);
    private static final int MAX_TEXT = 256;
    private static final int MAX_URL = 2048;
    private static final int DEFAULT_MIN_ATTEMPTS = 10;
    private static final int DEFAULT_MIN_CALLS = 10;
    /** QUALITY_DROP: fewer scored answers than this on either side never fire (so 3 failures in 5 page nobody). */
    private static final int DEFAULT_MIN_SCORED = 20;

    private static final BigDecimal DEFAULT_QUALITY_DROP_POINTS = BigDecimal.TEN;
    private static final Duration DEFAULT_QUALITY_WINDOW = Duration.ofHours(24);
    private static final BigDecimal DEFAULT_PROMPT_COST_JUMP_PERCENT = BigDecimal.valueOf(20);

    /** Kinds evaluated on a schedule rather than where their event happens. */
    static final Set<AlertKind> SCHEDULED = EnumSet.of(
            AlertKind.DAILY_SPEND_ABOVE,
            AlertKind.ERROR_RATE_ABOVE,
            AlertKind.NEW_MODEL_FOR_WORKFLOW,
            AlertKind.MODEL_SHARE_JUMP,
            AlertKind.QUALITY_DROP,
            AlertKind.PROMPT_COST_JUMP);

    /** The optional parameters each kind reads; every other one must be left out. */
    private static final Map<AlertKind, Set<String>> PARAMETERS = Map.of(
            AlertKind.BUDGET_THRESHOLD, Set.of("budgetId"),
            AlertKind.DAILY_SPEND_ABOVE, Set.of("bpmnProcessId", "thresholdUsd"),
            AlertKind.ERROR_RATE_ABOVE, Set.of("provider", "model", "thresholdPercent", "window", "minAttempts"),
            AlertKind.NEW_MODEL_FOR_WORKFLOW, Set.of("bpmnProcessId"),
            AlertKind.MODEL_SHARE_JUMP, Set.of("bpmnProcessId", "thresholdPercent", "minCalls"),
            AlertKind.AUDIT_CHAIN_BROKEN, Set.of(),
            AlertKind.PRICE_CHANGED, Set.of("provider", "model", "bpmnProcessId"),
            AlertKind.QUALITY_DROP,
                    Set.of("bpmnProcessId", "provider", "model", "scoreName", "thresholdPercent", "window", "minCalls"),
            AlertKind.PROMPT_COST_JUMP, Set.of("bpmnProcessId", "thresholdPercent", "minCalls"));

    /** How to read each parameter of a rule, to find the ones set. */
    private static final Map<String, Function<AlertRule, Object>> GETTERS = new LinkedHashMap<>();

    static {
        GETTERS.put("budgetId", AlertRule::budgetId);
        GETTERS.put("bpmnProcessId", AlertRule::bpmnProcessId);
        GETTERS.put("provider", AlertRule::provider);
        GETTERS.put("model", AlertRule::model);
        GETTERS.put("thresholdUsd", AlertRule::thresholdUsd);
        GETTERS.put("thresholdPercent", AlertRule::thresholdPercent);
        GETTERS.put("window", AlertRule::window);
        GETTERS.put("minAttempts", AlertRule::minAttempts);
        GETTERS.put("minCalls", AlertRule::minCalls);
        GETTERS.put("scoreName", AlertRule::scoreName);
    }

    private final AlertRuleStore rules;
    private final AlertStore alerts;
    private final BudgetStore budgets;
    private final AuditRecorder audit;
    private final Clock clock;
    private final Set<String> channelNames;

    /** @param channelNames the channels configured on this server ({@code WEBHOOK}, {@code ZEEBE}) */
    private final OutboundPolicy outbound;

    private final TransactionOperations transactions;

    /** @param outbound where webhook URLs may point: a refused one is a 400 naming {@code webhookUrl} */
    public AlertRuleService(
            AlertRuleStore rules,
            AlertStore alerts,
            BudgetStore budgets,
            AuditRecorder audit,
            Clock clock,
            Set<String> channelNames,
            OutboundPolicy outbound,
            TransactionOperations transactions) {
        this.outbound = outbound;
        this.transactions = transactions;
        this.rules = rules;
        this.alerts = alerts;
        this.budgets = budgets;
        this.audit = audit;
        this.clock = clock;
        this.channelNames = Set.copyOf(channelNames);
    }

    /**
     * Checks the rule first, outside any transaction (the webhook's host name is resolved then, and a slow resolver
     * must not hold a database connection), then stores it in one transaction.
     */
    @Override
    public AlertRule putRule(String id, AlertRule rule, ApiPrincipal actor) {
        if (rule == null) {
            throw RequestRejected.invalid(null, "an alert rule is required");
        }
        CatalogService.requireSame("id", id, rule.id());
        text("id", id);
        AlertRule normalised = checked(id, rule);
        ProjectAccess.require(actor, normalised.project(), "project");
        return transactions.execute(status -> store(id, normalised, actor));
    }

    private AlertRule store(String id, AlertRule normalised, ApiPrincipal actor) {
        AlertRuleStore.StoredRule existing = rules.findById(id).orElse(null);
        if (existing != null) {
            // a key of one project must not take over (or re-scope) another project's rule, retired or not
            ProjectAccess.require(actor, existing.rule().project(), "id");
        }
        // a retired rule put again is a new rule: nothing before it
        AlertRule before = existing == null || existing.retired() ? null : existing.rule();
        if (normalised.budgetId() != null) {
            BudgetRule budget = budgets.findById(normalised.budgetId())
                    .orElseThrow(
                            () -> RequestRejected.invalid("budgetId", "there is no budget " + normalised.budgetId()));
            String budgetProject = budget.definition().scope() == null
                    ? null
                    : budget.definition().scope().project();
            ProjectAccess.require(actor, budgetProject, "budgetId");
            if (normalised.project() != null && !normalised.project().equals(budgetProject)) {
                throw RequestRejected.invalid(
                        "budgetId",
                        "budget " + normalised.budgetId() + " is not a budget of project " + normalised.project());
            }
        }
        Instant now = clock.instant();
        rules.upsert(normalised, now);
        AlertRule after = active(id).orElseThrow().rule();
        audit.policyChange(actor, normalised.project(), "alert-rule", id, before, after, now);
        return after;
    }

    @Override
    @Transactional(readOnly = true)
    public AlertRule getRule(String id, ApiPrincipal actor) {
        AlertRule rule = active(id)
                .orElseThrow(() -> RequestRejected.notFound("no alert rule " + id))
                .rule();
        ProjectAccess.require(actor, rule.project(), "id");
        return rule;
    }

    /** The rule unless it is retired. */
    private java.util.Optional<AlertRuleStore.StoredRule> active(String id) {
        return rules.findById(id).filter(stored -> !stored.retired());
    }

    @Override
    @Transactional
    public void deleteRule(String id, ApiPrincipal actor) {
        AlertRule before = active(id)
                .orElseThrow(() -> RequestRejected.notFound("no alert rule " + id))
                .rule();
        ProjectAccess.require(actor, before.project(), "id");
        Instant now = clock.instant();
        rules.retire(id, now);
        audit.policyChange(actor, before.project(), "alert-rule", id, before, null, now);
    }

    @Override
    @Transactional(readOnly = true)
    public List<AlertRule> listRules(ApiPrincipal actor) {
        return rules.findAll().stream()
                .map(AlertRuleStore.StoredRule::rule)
                .filter(r -> actor.mayAccess(r.project()))
                .toList();
    }

    @Override
    @Transactional(readOnly = true)
    public List<FiredAlert> alerts(String from, String to, String state, ApiPrincipal actor) {
        ReportParameters.Range range = ReportParameters.range(from, to, clock);
        Instant start = range.from();
        Instant end = range.to();
        FiredAlert.DeliveryState wanted = state == null || state.isBlank() ? null : deliveryState(state);
        return alerts.list(start, end, actor.projects(), wanted);
    }

    private AlertRule checked(String id, AlertRule rule) {
        AlertKind kind = rule.kind();
        if (kind == null) {
            throw RequestRejected.invalid("kind", "kind is required, one of " + Arrays.toString(AlertKind.values()));
        }
        Set<String> allowed = PARAMETERS.get(kind);
        for (Map.Entry<String, Function<AlertRule, Object>> parameter : GETTERS.entrySet()) {
            Object value = parameter.getValue().apply(rule);
            boolean set = value != null && !(value instanceof String s && s.isBlank());
            if (set && !allowed.contains(parameter.getKey())) {
                throw RequestRejected.invalid(
                        parameter.getKey(),
                        parameter.getKey() + " is not used by kind " + kind
                                + (allowed.isEmpty()
                                        ? ", which takes no parameters"
                                        : "; it takes "
                                                + allowed.stream().sorted().toList()));
            }
        }
        String project = text("project", rule.project());
        String budgetId = text("budgetId", rule.budgetId());
        String bpmnProcessId = text("bpmnProcessId", rule.bpmnProcessId());
        String provider = text("provider", rule.provider());
        String model = text("model", rule.model());
        BigDecimal thresholdUsd = rule.thresholdUsd();
        BigDecimal thresholdPercent = rule.thresholdPercent();
        String window = null;
        Integer minAttempts = rule.minAttempts();
        Integer minCalls = rule.minCalls();
        String scoreName = null;
        switch (kind) {
            case DAILY_SPEND_ABOVE -> {
                if (thresholdUsd == null) {
                    throw RequestRejected.invalid(
                            "thresholdUsd", "thresholdUsd is required: the daily spend in USD to alert above");
                }
                if (thresholdUsd.signum() < 0 || !Money.fitsLedger(thresholdUsd)) {
                    throw RequestRejected.invalid(
                            "thresholdUsd",
                            "thresholdUsd must be a non-negative amount with at most " + Money.SCALE
                                    + " decimal places");
                }
            }
            case ERROR_RATE_ABOVE -> {
                thresholdPercent = percent(thresholdPercent, false, "failed attempts in percent of all attempts");
                if (rule.window() == null || rule.window().isBlank()) {
                    throw RequestRejected.invalid("window", "window is required: an ISO-8601 duration such as PT15M");
                }
                window = window(rule.window()).toString();
                minAttempts = minimum("minAttempts", minAttempts, DEFAULT_MIN_ATTEMPTS);
            }
            case MODEL_SHARE_JUMP -> {
                thresholdPercent = percent(thresholdPercent, true, "the rise of a model's share in percentage points");
                minCalls = minimum("minCalls", minCalls, DEFAULT_MIN_CALLS);
            }
            case QUALITY_DROP -> {
                thresholdPercent = thresholdPercent == null
                        ? DEFAULT_QUALITY_DROP_POINTS
                        : percent(thresholdPercent, true, "the drop of the pass rate in percentage points");
                window = rule.window() == null || rule.window().isBlank()
                        ? DEFAULT_QUALITY_WINDOW.toString()
                        : window(rule.window()).toString();
                minCalls = minimum("minCalls", minCalls, DEFAULT_MIN_SCORED);
                scoreName = text("scoreName", rule.scoreName());
            }
            case PROMPT_COST_JUMP -> {
                if (thresholdPercent == null) {
                    thresholdPercent = DEFAULT_PROMPT_COST_JUMP_PERCENT;
                } else if (thresholdPercent.signum() <= 0
                        || thresholdPercent.compareTo(BigDecimal.valueOf(1000)) > 0
                        || thresholdPercent.stripTrailingZeros().scale() > 4) {
                    throw RequestRejected.invalid(
                            "thresholdPercent",
                            "thresholdPercent is the rise of input tokens per call in percent: above 0, at most 1000,"
                                    + " with at most 4 decimal places");
                }
                minCalls = minimum("minCalls", minCalls, DEFAULT_MIN_SCORED);
            }
            default -> {}
        }
        String webhookUrl = webhookUrl(rule.webhookUrl());
        String zeebeMessageName = text("zeebeMessageName", rule.zeebeMessageName());
        if (zeebeMessageName != null && !channelNames.contains(AlertChannels.ZEEBE)) {
            throw RequestRejected.invalid(
                    "zeebeMessageName",
                    "this server has no Zeebe channel configured "
                            + "(aiops.alerts.zeebe.rest-address); leave zeebeMessageName out or configure the channel");
        }
        return new AlertRule(
                id,
                project,
                kind,
                budgetId,
                bpmnProcessId,
                provider,
                model,
                thresholdUsd,
                thresholdPercent,
                window,
                minAttempts,
                minCalls,
                webhookUrl,
                zeebeMessageName,
                scoreName);
    }

    private static BigDecimal percent(BigDecimal value, boolean points, String meaning) {
        if (value == null) {
            throw RequestRejected.invalid("thresholdPercent", "thresholdPercent is required: " + meaning);
        }
        BigDecimal shown = Money.shown(value);
        if (shown.signum() < 0 || shown.compareTo(BigDecimal.valueOf(100)) >= 0 || shown.scale() > 4) {
            throw RequestRejected.invalid(
                    "thresholdPercent", "thresholdPercent must be from 0 to below 100 with at most 4 decimal places");
        }
        return shown;
    }

    private static int minimum(String field, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > 1_000_000) {
            throw RequestRejected.invalid(field, field + " must be from 1 to 1000000");
        }
        return value;
    }

    /** An ISO-8601 duration between a minute and a week. */
    static Duration window(String text) {
        Duration window;
        try {
            window = Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw RequestRejected.invalid("window", "window '" + text + "' is not an ISO-8601 duration such as PT15M");
        }
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw RequestRejected.invalid("window", "window must be from PT1M to P7D, not " + text);
        }
        if (window.toNanos() % 1_000_000_000L != 0) {
            throw RequestRejected.invalid("window", "window must be whole seconds");
        }
        return window;
    }

    private String webhookUrl(String url) {
        String value = text("webhookUrl", url, MAX_URL);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute()
                    || uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw RequestRejected.invalid("webhookUrl", "webhookUrl must be an absolute http(s) URL");
            }
            outbound.check(uri);
        } catch (OutboundPolicy.Refused e) {
            throw RequestRejected.invalid("webhookUrl", "webhookUrl is refused: " + e.getMessage());
        } catch (URISyntaxException e) {
            throw RequestRejected.invalid("webhookUrl", "webhookUrl is not a URL: " + e.getReason());
        }
        return value;
    }

    private static String text(String field, String value) {
        return text(field, value, MAX_TEXT);
    }

    private static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            throw RequestRejected.invalid(field, field + " must be at most " + max + " characters");
        }
        if (!RequestLimits.printable(value)) {
            throw RequestRejected.invalid(field, field + " " + Name.MESSAGE);
        }
        return value.trim();
    }

    private static FiredAlert.DeliveryState deliveryState(String state) {
        try {
            return FiredAlert.DeliveryState.valueOf(state.trim());
        } catch (IllegalArgumentException e) {
            throw RequestRejected.invalid(
                    "state",
                    "state must be one of " + Arrays.toString(FiredAlert.DeliveryState.values()) + ", not '" + state
                            + "'");
        }
    }
}
