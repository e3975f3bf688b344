package io.aiops.policy.domain;

import io.aiops.policy.api.ProviderHealth;
import io.aiops.policy.api.ProviderHealth.CircuitState;
import io.aiops.policy.domain.call.Candidate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Sums up the circuit states workers report per (provider, model) and moves models whose circuit is open to the end
 * of a failover chain, so workers try a healthy model first without losing the open one as a last resort.
 *
 * <p>A model is OPEN when any worker's latest report says so and that report is younger than the open-report TTL
 * (an older one is stale: the worker's cooldown has passed and it would have reported the outcome of its trial
 * calls); else HALF_OPEN when any worker is probing; else CLOSED.
 */
public final class CircuitHealth {

    private CircuitHealth() {}

    /** One entry per (provider, model), ordered by provider and model. */
    public static List<ProviderHealth> summarise(List<ProviderHealth> reports, Instant now, Duration openReportTtl) {
        Map<String, List<ProviderHealth>> byModel = reports.stream()
                .sorted(Comparator.comparing(ProviderHealth::provider).thenComparing(ProviderHealth::model))
                .collect(Collectors.groupingBy(
                        r -> key(r.provider(), r.model()), LinkedHashMap::new, Collectors.toList()));
        List<ProviderHealth> summary = new ArrayList<>();
        for (List<ProviderHealth> forModel : byModel.values()) {
            Comparator<ProviderHealth> latestFirst =
                    Comparator.comparing(ProviderHealth::observedAt).reversed();
            ProviderHealth decisive = forModel.stream()
                    .filter(r -> r.state() == CircuitState.OPEN
                            && r.observedAt().plus(openReportTtl).isAfter(now))
                    .min(latestFirst)
                    .or(() -> forModel.stream()
                            .filter(r -> r.state() == CircuitState.HALF_OPEN)
                            .min(latestFirst))
                    .orElseGet(() -> {
                        ProviderHealth latest =
                                forModel.stream().min(latestFirst).orElseThrow();
                        // a stale OPEN report no longer keeps the model down
                        return latest.state() == CircuitState.OPEN
                                ? new ProviderHealth(
                                        latest.provider(),
                                        latest.model(),
                                        CircuitState.CLOSED,
                                        latest.reporter(),
                                        latest.observedAt())
                                : latest;
                    });
            summary.add(decisive);
        }
        return summary;
    }

    /** The {@code provider/model} keys whose summed-up state is OPEN. */
    public static Set<String> openModels(List<ProviderHealth> summary) {
        return summary.stream()
                .filter(h -> h.state() == CircuitState.OPEN)
                .map(h -> key(h.provider(), h.model()))
                .collect(Collectors.toSet());
    }

    /** The candidates with open models moved to the end, each group keeping its order. */
    public static List<Candidate> demoteOpen(List<Candidate> candidates, Set<String> openModels) {
        if (openModels.isEmpty()) {
            return candidates;
        }
        List<Candidate> healthy = new ArrayList<>();
        List<Candidate> open = new ArrayList<>();
        for (Candidate candidate : candidates) {
            (openModels.contains(key(candidate.provider(), candidate.model())) ? open : healthy).add(candidate);
        }
        healthy.addAll(open);
        return List.copyOf(healthy);
    }

    private static String key(String provider, String model) {
        return provider + "/" + model;
    }
}
