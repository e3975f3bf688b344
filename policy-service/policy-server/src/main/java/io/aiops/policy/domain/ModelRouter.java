package io.aiops.policy.domain;

import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.domain.call.Candidate;
import io.aiops.policy.domain.call.DenialReason;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the ordered failover candidates for a call: the most specific matching routing policy, a model hint moved to
 * the front, or else the cheapest catalog model; retired models are dropped. A matching policy that blocks refuses
 * the call.
 */
public final class ModelRouter {

    private final long defaultTimeoutMs;

    public ModelRouter(long defaultTimeoutMs) {
        this.defaultTimeoutMs = defaultTimeoutMs;
    }

    /** What the router was asked: who calls, for which task, how big the call may get. */
    public record RouteRequest(
            String project,
            String taskKind,
            String modelHint,
            long estimatedInputTokens,
            int maxOutputTokens,
            LocalDate today) {}

    /** The router's answer: candidates with the amount to reserve, or a refusal. */
    public sealed interface Route permits Routed, Refused {}

    /**
     * Candidates in failover order, the worst-case cost over them, and each candidate's own worst case (keyed
     * {@code provider/model}) for budgets that count one model only.
     */
    public record Routed(
            List<Candidate> candidates,
            BigDecimal reservationAmount,
            String policyId,
            Map<String, BigDecimal> worstCaseCosts)
            implements Route {}

    /** No candidate is left; the reason becomes the decision's denial. */
    public record Refused(DenialReason reason, String message) implements Route {}

    public Route route(RouteRequest request, List<RoutingRule> policies, List<ModelPrice> catalog) {
        Optional<RoutingRule> policy = mostSpecific(policies, request.project(), request.taskKind());
        if (policy.isPresent() && policy.get().blocks()) {
            // a block is a rule about the call, not about models: no hint gets round it
            return new Refused(
                    DenialReason.POLICY_DENIED,
                    "routing policy '" + policy.get().id() + "' blocks AI calls here: "
                            + policy.get().blockReason());
        }
        List<Entry> chain = new ArrayList<>();
        if (policy.isPresent()) {
            for (RoutingRule.Target target : policy.get().targets()) {
                // a target the catalog cannot price cannot be reserved for, so it is never handed out
                find(catalog, target.provider(), target.model())
                        .ifPresent(
                                price -> chain.add(new Entry(new ModelPricing(price), timeoutOf(target.timeoutMs()))));
            }
        }
        Optional<ModelPricing> hint = resolveHint(catalog, request.modelHint())
                .map(ModelPricing::new)
                .filter(m -> !m.retiredOn(request.today()));
        if (hint.isPresent()) {
            ModelPricing hinted = hint.get();
            long timeout = chain.stream()
                    .filter(e -> e.sameModel(hinted))
                    .findFirst()
                    .map(Entry::timeoutMs)
                    .orElse(defaultTimeoutMs);
            chain.removeIf(e -> e.sameModel(hinted));
            chain.addFirst(new Entry(hinted, timeout));
        }
        if (policy.isEmpty() && hint.isEmpty()) {
            return cheapest(request, catalog);
        }
        if (chain.isEmpty()) {
            return new Refused(
                    DenialReason.POLICY_DENIED,
                    "routing policy '" + policy.map(RoutingRule::id).orElse("?") + "' names no model of the catalog");
        }
        List<Entry> usable = chain.stream()
                .filter(e -> !e.pricing().retiredOn(request.today()))
                .toList();
        if (usable.isEmpty()) {
            return new Refused(
                    DenialReason.MODEL_RETIRED,
                    "every candidate model is past its deprecation date: "
                            + chain.stream()
                                    .map(e -> e.pricing().provider() + "/"
                                            + e.pricing().model())
                                    .toList());
        }
        return routed(request, usable, policy.map(RoutingRule::id).orElse(null));
    }

    private Route cheapest(RouteRequest request, List<ModelPrice> catalog) {
        if (catalog.isEmpty()) {
            return new Refused(DenialReason.POLICY_DENIED, "the model catalog is empty and no routing policy matches");
        }
        Comparator<ModelPricing> byCost = Comparator.comparing(
                (ModelPricing m) -> m.worstCaseCost(request.estimatedInputTokens(), request.maxOutputTokens()));
        Optional<ModelPricing> cheapest = catalog.stream()
                .map(ModelPricing::new)
                .filter(m -> !m.retiredOn(request.today()))
                .min(byCost.thenComparing(ModelPricing::provider).thenComparing(ModelPricing::model));
        if (cheapest.isEmpty()) {
            return new Refused(DenialReason.MODEL_RETIRED, "every catalog model is past its deprecation date");
        }
        return routed(request, List.of(new Entry(cheapest.get(), defaultTimeoutMs)), null);
    }

    private Routed routed(RouteRequest request, List<Entry> entries, String policyId) {
        List<Candidate> candidates = entries.stream()
                .map(e -> new Candidate(
                        e.pricing().provider(), e.pricing().model(), request.maxOutputTokens(), e.timeoutMs()))
                .toList();
        Map<String, BigDecimal> worstCases = new LinkedHashMap<>();
        for (Entry e : entries) {
            worstCases.put(
                    e.pricing().provider() + "/" + e.pricing().model(),
                    e.pricing().worstCaseCost(request.estimatedInputTokens(), request.maxOutputTokens()));
        }
        BigDecimal amount =
                worstCases.values().stream().max(Comparator.naturalOrder()).orElse(BigDecimal.ZERO);
        return new Routed(candidates, amount, policyId, Map.copyOf(worstCases));
    }

    /** A set project counts more than a set task kind; ties go to the smallest id so the choice is stable. */
    static Optional<RoutingRule> mostSpecific(List<RoutingRule> policies, String project, String taskKind) {
        return policies.stream()
                .filter(p -> p.project() == null || p.project().equals(project))
                .filter(p -> p.taskKind() == null || p.taskKind().equals(taskKind))
                .min(Comparator.comparingInt((RoutingRule p) -> -specificity(p)).thenComparing(RoutingRule::id));
    }

    private static int specificity(RoutingRule policy) {
        return (policy.project() != null ? 2 : 0) + (policy.taskKind() != null ? 1 : 0);
    }

    /** A hint is a model name, or {@code provider/model} when the bare name is not in the catalog. */
    static Optional<ModelPrice> resolveHint(List<ModelPrice> catalog, String hint) {
        if (hint == null || hint.isBlank()) {
            return Optional.empty();
        }
        Optional<ModelPrice> byName =
                catalog.stream().filter(p -> p.model().equals(hint)).min(Comparator.comparing(ModelPrice::provider));
        if (byName.isPresent()) {
            return byName;
        }
        int slash = hint.indexOf('/');
        return slash <= 0 ? Optional.empty() : find(catalog, hint.substring(0, slash), hint.substring(slash + 1));
    }

    private static Optional<ModelPrice> find(List<ModelPrice> catalog, String provider, String model) {
        return catalog.stream()
                .filter(p -> Objects.equals(p.provider(), provider) && Objects.equals(p.model(), model))
                .findFirst();
    }

    private long timeoutOf(Long timeoutMs) {
        return timeoutMs != null && timeoutMs > 0 ? timeoutMs : defaultTimeoutMs;
    }

    private record Entry(ModelPricing pricing, long timeoutMs) {
        boolean sameModel(ModelPricing other) {
            return pricing.provider().equals(other.provider())
                    && pricing.model().equals(other.model());
        }
    }
}
