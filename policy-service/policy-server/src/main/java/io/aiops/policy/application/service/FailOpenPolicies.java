package io.aiops.policy.application.service;

import io.aiops.policy.api.Decision;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.OnPolicyUnavailable;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import io.aiops.policy.domain.ModelPricing;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A project's {@link OnPolicyUnavailable} setting as decisions pass it on: an allowed decision of a
 * {@link OnPolicyUnavailable#FAIL_OPEN_CAPPED} project carries the terms a worker may call under while this service is
 * unavailable (its first candidate and that model's dearest token prices); any other decision carries none, which
 * tells the worker to retry.
 */
public class FailOpenPolicies {

    private final ProjectSettingsStore settings;
    private final RecentByKey<String, OnPolicyUnavailable> recent;

    /** @param decisionCacheTtl how long a setting read for decisions is reused (changes here are seen at once) */
    public FailOpenPolicies(ProjectSettingsStore settings, Clock clock, Duration decisionCacheTtl) {
        this.settings = settings;
        this.recent = new RecentByKey<>(clock, decisionCacheTtl);
    }

    /** The project's setting, as read at most the decision cache TTL ago. */
    public OnPolicyUnavailable modeOf(String project) {
        return recent.get(project, () -> settings.onPolicyUnavailable(project).orElse(OnPolicyUnavailable.RETRY));
    }

    /** Call when a setting changed. */
    public void changed() {
        recent.changed();
    }

    /** The terms {@code decision} passes on, or null (RETRY, a denial, or a first candidate no longer priced). */
    public Decision.FailOpen termsFor(String project, Decision decision, List<ModelPrice> prices) {
        if (!decision.allowed()
                || decision.candidates().isEmpty()
                || modeOf(project) != OnPolicyUnavailable.FAIL_OPEN_CAPPED) {
            return null;
        }
        Decision.Candidate first = decision.candidates().getFirst();
        return prices.stream()
                .filter(p -> p.provider().equals(first.provider()) && p.model().equals(first.model()))
                .findFirst()
                .map(ModelPricing::new)
                .map(pricing ->
                        new Decision.FailOpen(first, pricing.dearestInputPerToken(), pricing.dearestOutputPerToken()))
                .orElse(null);
    }
}
