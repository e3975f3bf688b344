package io.aiops.policy.application.service;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetReservation;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.Decision.Candidate;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.DecideUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.BudgetStore;
import io.aiops.policy.application.port.out.CatalogStore;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.DecisionStore.NewDecision;
import io.aiops.policy.application.port.out.DecisionStore.StoredDecision;
import io.aiops.policy.application.port.out.ReservationStore;
import io.aiops.policy.application.port.out.ReservationStore.HeldReservation;
import io.aiops.policy.application.port.out.ReservationStore.Hold;
import io.aiops.policy.application.port.out.RoutingPolicyStore;
import io.aiops.policy.domain.BudgetRule;
import io.aiops.policy.domain.BudgetWindow;
import io.aiops.policy.domain.CircuitHealth;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.ModelRouter;
import io.aiops.policy.domain.ModelRouter.Refused;
import io.aiops.policy.domain.ModelRouter.RouteRequest;
import io.aiops.policy.domain.ModelRouter.Routed;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decides AI calls: routes to candidates, then reserves the worst-case cost in every budget that covers the call, all
 * in one transaction. HARD budgets are checked by a conditional update on their window row, so the cap holds however
 * many requests and server instances race.
 */
public class DecisionService implements DecideUseCase {

  private final DecisionStore decisions;
  private final ReservationStore reservations;
  private final BudgetStore budgets;
  private final CatalogStore catalog;
  private final RoutingPolicyStore routingPolicies;
  private final DecisionSettings settings;
  private final Clock clock;
  private final ModelRouter router;
  private final RedactionPolicies redactionPolicies;
  private final Supplier<Set<String>> openModels;

  public DecisionService(
      DecisionStore decisions,
      ReservationStore reservations,
      BudgetStore budgets,
      CatalogStore catalog,
      RoutingPolicyStore routingPolicies,
      DecisionSettings settings,
      Clock clock,
      RedactionPolicies redactionPolicies) {
    this(decisions, reservations, budgets, catalog, routingPolicies, settings, clock, redactionPolicies,
        Set::of);
  }

  /**
   * As above; {@code openModels} names the {@code provider/model}s whose circuit workers report open: such candidates
   * are moved to the end of the failover chain.
   */
  public DecisionService(
      DecisionStore decisions,
      ReservationStore reservations,
      BudgetStore budgets,
      CatalogStore catalog,
      RoutingPolicyStore routingPolicies,
      DecisionSettings settings,
      Clock clock,
      RedactionPolicies redactionPolicies,
      Supplier<Set<String>> openModels) {
    this.openModels = openModels;
    this.decisions = decisions;
    this.reservations = reservations;
    this.budgets = budgets;
    this.catalog = catalog;
    this.routingPolicies = routingPolicies;
    this.settings = settings;
    this.clock = clock;
    this.router = new ModelRouter(settings.defaultTimeout().toMillis());
    this.redactionPolicies = redactionPolicies;
  }

  @Override
  @Transactional
  public Decision decide(DecideCommand command, ApiPrincipal actor) {
    ProjectAccess.require(actor, command.project(), "project");
    // no look-up first: a repeated key loses the insert in decideNew and returns the stored decision (after checking
    // that it belongs to the same project), so the common case (a new key) costs one statement less
    return withRedaction(withDefaults(command), decideNew(command));
  }

  /** Tells the caller how to treat the texts it reports: the workflow's redaction as it stands now. */
  private Decision withRedaction(DecisionRequest request, Decision decision) {
    return decision.withRedaction(redactionPolicies.forWorkflow(request.project(), request.bpmnProcessId()));
  }

  private Decision decideNew(DecideCommand command) {
    // the database keeps microseconds: use them from the start so a re-read decision looks the same
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    DecisionRequest request = withDefaults(command);
    ModelRouter.Route route =
        router.route(
            new RouteRequest(
                request.project(),
                request.taskKind(),
                request.modelHint(),
                request.estimatedInputTokens(),
                request.maxOutputTokens(),
                now.atZone(ZoneOffset.UTC).toLocalDate()),
            routingPolicies.findAll(),
            catalog.findAll());
    UUID decisionId = UUID.randomUUID();

    if (route instanceof Refused refused) {
      NewDecision denied =
          new NewDecision(decisionId, request, false, refused.reason(), refused.message(), List.of(), now);
      return decisions.insertIfAbsent(denied) ? toDecision(denied, null) : stored(request);
    }
    Routed routed = (Routed) route;
    // models whose circuit is open on the workers go to the end of the list
    List<Candidate> ordered = CircuitHealth.demoteOpen(routed.candidates(), openModels.get());
    NewDecision allowed = new NewDecision(decisionId, request, true, null, null, ordered, now);
    if (!decisions.insertIfAbsent(allowed)) {
      return stored(request);
    }
    List<BudgetRule> covering =
        budgets.findAll().stream()
            .filter(b -> b.covers(request.project(), request.bpmnProcessId(), request.processDefinitionKey()))
            .toList();
    List<Hold> holds = new ArrayList<>();
    // Locks are taken in one global order, model budgets first and then the others, each by id, so two decisions
    // never wait for each other's window rows in opposite orders.
    List<Candidate> candidates = new ArrayList<>(ordered);
    List<String> modelDenials = new ArrayList<>();
    for (BudgetRule budget : sortedById(covering.stream().filter(BudgetRule::modelScoped))) {
      List<Candidate> matching = candidates.stream().filter(c -> budget.coversModel(c.provider(), c.model())).toList();
      if (matching.isEmpty()) {
        continue;
      }
      BigDecimal amount = worstCaseOf(routed, matching);
      BudgetWindow window = budget.windowAt(now);
      if (budgets.tryReserve(budget.id(), window, amount)) {
        BudgetDefinition.BudgetScope scope = budget.definition().scope();
        holds.add(new Hold(budget.id(), window.start(), amount, scope.provider(), scope.model()));
      } else {
        // this model has no room left: the call may still go to the other candidates
        candidates.removeAll(matching);
        modelDenials.add(exceededMessage(budget, window, amount));
      }
    }
    if (candidates.isEmpty()) {
      return deny(decisionId, request, holds, "no candidate model fits its model budget: "
          + String.join("; ", modelDenials), now);
    }
    // holds of model budgets whose every candidate was dropped afterwards are given back
    List<Candidate> kept = List.copyOf(candidates);
    for (var it = holds.iterator(); it.hasNext(); ) {
      Hold hold = it.next();
      if (kept.stream().noneMatch(c -> hold.counts(c.provider(), c.model()))) {
        budgets.settle(hold.budgetId(), hold.windowStart(), hold.amountUsd(), BigDecimal.ZERO);
        it.remove();
      }
    }
    BigDecimal amount = worstCaseOf(routed, kept);
    for (BudgetRule budget : sortedById(covering.stream().filter(b -> !b.modelScoped()))) {
      BudgetWindow window = budget.windowAt(now);
      if (!budgets.tryReserve(budget.id(), window, amount)) {
        return deny(decisionId, request, holds, exceededMessage(budget, window, amount), now);
      }
      holds.add(new Hold(budget.id(), window.start(), amount));
    }
    if (kept.size() < ordered.size()) {
      decisions.replaceCandidates(decisionId, kept);
      allowed = new NewDecision(decisionId, request, true, null, null, kept, now);
    }
    HeldReservation reservation =
        new HeldReservation(
            UUID.randomUUID(),
            decisionId,
            amount,
            ReservationStore.Status.OPEN,
            now.plus(settings.reservationTtl()),
            holds);
    reservations.insert(reservation, now);
    return toDecision(
        allowed, new BudgetReservation(reservation.id(), Money.shown(amount), reservation.expiresAt()));
  }

  /** Gives back what was held so far and turns the decision into a BUDGET_EXCEEDED denial. */
  private Decision deny(UUID decisionId, DecisionRequest request, List<Hold> holds, String message, Instant now) {
    for (Hold hold : holds) {
      budgets.settle(hold.budgetId(), hold.windowStart(), hold.amountUsd(), BigDecimal.ZERO);
    }
    decisions.markDenied(decisionId, DenialReason.BUDGET_EXCEEDED, message);
    return toDecision(
        new NewDecision(decisionId, request, false, DenialReason.BUDGET_EXCEEDED, message, List.of(), now), null);
  }

  private static List<BudgetRule> sortedById(java.util.stream.Stream<BudgetRule> budgets) {
    return budgets.sorted(Comparator.comparing(BudgetRule::id)).toList();
  }

  /** The most the call can cost when it may try any of {@code candidates}. */
  private static BigDecimal worstCaseOf(Routed routed, List<Candidate> candidates) {
    return candidates.stream()
        .map(c -> routed.worstCaseCosts().get(c.provider() + "/" + c.model()))
        .max(Comparator.naturalOrder())
        .orElse(BigDecimal.ZERO)
        .setScale(Money.SCALE);
  }

  private String exceededMessage(BudgetRule budget, BudgetWindow window, BigDecimal amount) {
    BudgetStore.WindowFigures figures = budgets.figures(budget.id(), window.start());
    BigDecimal remaining =
        budget.definition().limitUsd().subtract(figures.spentUsd()).subtract(figures.reservedUsd()).max(BigDecimal.ZERO);
    return "HARD budget '" + budget.id() + "' (" + budget.definition().period() + " limit "
        + Money.shown(budget.definition().limitUsd()).toPlainString() + " USD, window from " + window.start()
        + ") has " + Money.shown(remaining).toPlainString() + " USD left; this call may cost up to "
        + Money.shown(amount).toPlainString() + " USD";
  }

  private Decision stored(DecisionRequest request) {
    StoredDecision winner =
        decisions
            .findByIdempotencyKey(request.idempotencyKey())
            .orElseThrow(() -> new IllegalStateException(
                "decision vanished after a key conflict: " + request.idempotencyKey()));
    if (!winner.request().project().equals(request.project())) {
      throw new RequestRejected(RequestRejected.Kind.FORBIDDEN, "idempotencyKey",
          "idempotencyKey is taken by a decision of another project");
    }
    return winner.decision();
  }

  private DecisionRequest withDefaults(DecideCommand c) {
    return new DecisionRequest(
        c.idempotencyKey(),
        c.project(),
        c.bpmnProcessId(),
        c.processDefinitionKey(),
        c.processInstanceKey(),
        c.elementId(),
        c.elementInstanceKey(),
        c.jobKey(),
        c.taskKind(),
        c.modelHint() == null || c.modelHint().isBlank() ? null : c.modelHint(),
        c.estimatedInputTokens() == null ? 0 : c.estimatedInputTokens(),
        c.maxOutputTokens() == null ? settings.defaultMaxOutputTokens() : c.maxOutputTokens(),
        c.tags());
  }

  private static Decision toDecision(NewDecision d, BudgetReservation reservation) {
    return new Decision(d.id(), d.allowed(), d.reason(), d.reasonMessage(), d.candidates(), reservation, null);
  }
}
