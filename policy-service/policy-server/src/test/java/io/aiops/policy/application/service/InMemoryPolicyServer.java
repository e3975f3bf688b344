package io.aiops.policy.application.service;

import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.in.RecordOutcomeCommand;
import io.aiops.policy.application.port.in.RecordOutcomeCommand.AttemptCommand;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.BudgetStore.WindowFigures;
import io.aiops.policy.application.port.out.PromptStore;
import io.aiops.policy.application.service.fakes.InMemoryPolicyData;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetWindow;
import io.aiops.policy.support.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The decision and outcome services wired as the application wires them, on in-memory fakes of their ports and the
 * test's clock: no Spring, no database. Every call is decided for provider {@code acme}, workflow {@code flow}, task
 * kind {@code classify}, 1000 input and 500 output tokens unless a test says otherwise.
 */
final class InMemoryPolicyServer {

    static final String PROVIDER = "acme";
    static final String FLOW = "flow";
    static final ApiPrincipal WORKER = new ApiPrincipal(UUID.randomUUID(), "worker-key", ApiRole.WORKER, List.of());

    final MutableClock clock;
    final InMemoryPolicyData db = new InMemoryPolicyData();
    /** The {@code provider/model}s whose circuit the workers report open. */
    final Set<String> openModels = new HashSet<>();

    final DecisionSettings settings = new DecisionSettings(Duration.ofMinutes(15), 1024, Duration.ofSeconds(30));
    final RedactionPolicies redaction;
    final FailOpenPolicies failOpen;
    final DecisionService decisions;
    final OutcomeService outcomes;
    final ReservationExpiryService expiry;

    /** A server that reads the definitions on every decision. */
    InMemoryPolicyServer(MutableClock clock) {
        this(clock, Duration.ZERO);
    }

    /** @param definitionsTtl how long this server reuses the routing policies, prices and budgets it read */
    InMemoryPolicyServer(MutableClock clock, Duration definitionsTtl) {
        this.clock = clock;
        this.redaction = new RedactionPolicies(db.projectSettings, clock, "");
        this.failOpen = new FailOpenPolicies(db.projectSettings, clock, Duration.ZERO);
        this.decisions = replica(definitionsTtl);
        AlertEvaluationService alerts = new AlertEvaluationService(
                db.alertRules, db.alerts, InMemoryPolicyData.unused(AlertSignals.class), db.budgets, clock);
        this.outcomes = new OutcomeService(
                db.decisions,
                db.reservations,
                db.budgets,
                db.catalog,
                db.ledger,
                clock,
                redaction,
                db.audit,
                alerts,
                db.scores,
                InMemoryPolicyData.unused(PromptStore.class));
        this.expiry = new ReservationExpiryService(db.reservations, db.budgets, clock);
    }

    /** Another decision service on the same data, with its own definitions cache: a second replica. */
    DecisionService replica(Duration definitionsTtl) {
        DecisionDefinitions definitions =
                new DecisionDefinitions(db.routingPolicies, db.catalog, db.budgets, clock, definitionsTtl);
        return new DecisionService(
                db.decisions,
                db.reservations,
                db.budgets,
                definitions,
                settings,
                clock,
                redaction,
                failOpen,
                () -> Set.copyOf(openModels),
                new DecisionBooker(db.decisions, 16, 1));
    }

    // ---- catalog, policies, budgets

    /** Puts {@code acme/model} in the catalog at these prices per token, effective now. */
    ModelPrice model(String model, String inputPerToken, String outputPerToken) {
        return model(model, inputPerToken, outputPerToken, null);
    }

    ModelPrice model(String model, String inputPerToken, String outputPerToken, LocalDate deprecationDate) {
        return db.catalog.savePrice(
                new ModelPrice(
                        PROVIDER,
                        model,
                        new BigDecimal(inputPerToken),
                        new BigDecimal(outputPerToken),
                        null,
                        null,
                        null,
                        deprecationDate),
                clock.instant());
    }

    /** Routes the project's calls to these {@code acme} models, in this order. */
    void route(String project, String... models) {
        db.routingPolicies.upsert(new RoutingPolicy(
                "route-" + project,
                project,
                null,
                Arrays.stream(models)
                        .map(m -> new RoutingPolicy.Target(PROVIDER, m, null))
                        .toList()));
    }

    /** A daily budget in UTC. */
    BudgetRule budget(String id, BudgetScope scope, String limitUsd, BudgetMode mode, Integer... alertThresholds) {
        BudgetRule rule = new BudgetRule(
                new BudgetDefinition(
                        id, scope, BudgetPeriod.DAY, new BigDecimal(limitUsd), mode, "UTC", List.of(alertThresholds)),
                ZoneOffset.UTC);
        db.budgets.upsert(rule, clock.instant());
        return rule;
    }

    static BudgetScope projectScope(String project) {
        return new BudgetScope(project, null);
    }

    static BudgetScope modelScope(String project, String model) {
        return new BudgetScope(project, null, null, PROVIDER, model);
    }

    /** The budget's figures in the window of today (by the clock). */
    WindowFigures today(String budgetId) {
        BudgetRule budget = db.budgets.findById(budgetId).orElseThrow();
        BudgetWindow window = budget.windowAt(clock.instant());
        return db.budgets.figures(budgetId, window.start());
    }

    // ---- requests

    /** A call of process instance 100, element instance 200, job 300. */
    static DecideCommand call(String key, String project) {
        return new DecideCommand(
                key,
                project,
                new ProcessCoordinates(FLOW, null, null, 100L, "classify-it", 200L, 300L, null),
                "classify",
                null,
                1000,
                500,
                Map.of());
    }

    static AttemptCommand attempt(String model, long input, long output, CallStatus status) {
        return new AttemptCommand(
                PROVIDER,
                model,
                input,
                0L,
                0L,
                output,
                0L,
                100L,
                status,
                status == CallStatus.FAILED ? "TIMEOUT" : null,
                0L,
                null);
    }

    static RecordOutcomeCommand outcome(AttemptCommand... attempts) {
        return new RecordOutcomeCommand(List.of(attempts), Map.of(), "question", "answer");
    }
}
