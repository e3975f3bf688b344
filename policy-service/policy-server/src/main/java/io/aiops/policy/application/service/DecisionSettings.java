package io.aiops.policy.application.service;

import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.domain.call.Candidate;
import java.time.Duration;

/**
 * Tunables of the decision path: how long a reservation lives without an outcome, and the defaults for requests that
 * leave out their size or a policy that leaves out a timeout.
 *
 * <p>A reservation lives {@code reservationTtl}, or longer when the failover chain it covers may run longer: a worker
 * gives each candidate up to {@code attemptsPerCandidate} attempts of the candidate's timeout plus
 * {@code waitsPerCandidate} (waits between retries and for rate-limit room), one candidate after the other. Releasing
 * the money while the chain still runs would let other calls take room this call is about to spend.
 */
public record DecisionSettings(
        Duration reservationTtl,
        int defaultMaxOutputTokens,
        Duration defaultTimeout,
        int attemptsPerCandidate,
        Duration waitsPerCandidate) {

    public DecisionSettings {
        if (reservationTtl.isNegative() || reservationTtl.isZero()) {
            throw new IllegalArgumentException("reservation TTL must be positive");
        }
        if (defaultMaxOutputTokens < 1) {
            throw new IllegalArgumentException("default max output tokens must be at least 1");
        }
        if (attemptsPerCandidate < 1) {
            throw new IllegalArgumentException("attempts per candidate must be at least 1");
        }
        if (waitsPerCandidate.isNegative()) {
            throw new IllegalArgumentException("waits per candidate must not be negative");
        }
    }

    /**
     * The workers' default resilience settings: 2 attempts per candidate, and 30 s (the longest Retry-After they honour)
     * between them plus 1 s of slack.
     */
    public static final int DEFAULT_ATTEMPTS_PER_CANDIDATE = 2;

    public static final Duration DEFAULT_WAITS_PER_CANDIDATE = Duration.ofSeconds(31);

    /** The settings with the chain-length terms at their defaults. */
    public DecisionSettings(Duration reservationTtl, int defaultMaxOutputTokens, Duration defaultTimeout) {
        this(
                reservationTtl,
                defaultMaxOutputTokens,
                defaultTimeout,
                DEFAULT_ATTEMPTS_PER_CANDIDATE,
                DEFAULT_WAITS_PER_CANDIDATE);
    }

    /** The longest a reservation lives however long its chain may run: a day, or the TTL when that is longer. */
    public static final Duration MAX_CHAIN_LIFETIME = Duration.ofDays(1);

    /**
     * The longest a failover chain may run on {@code candidate}: its timeout (the default when it has none) times the
     * attempts per candidate, plus the waits between them; at most {@link #MAX_CHAIN_LIFETIME}. A reservation lives the
     * TTL, or the sum of its kept candidates' spans when that is longer, at most {@link #MAX_CHAIN_LIFETIME} (a policy
     * with absurd timeouts must not park money for years): the booking adds them up, as only it knows which candidates
     * model budgets keep.
     */
    public Duration chainSpanOf(Candidate candidate) {
        long timeoutMs = candidate.timeoutMs() > 0 ? candidate.timeoutMs() : defaultTimeout.toMillis();
        // Duration arithmetic: no silent overflow even for timeouts near Long.MAX_VALUE ms
        Duration span =
                Duration.ofMillis(timeoutMs).multipliedBy(attemptsPerCandidate).plus(waitsPerCandidate);
        return span.compareTo(MAX_CHAIN_LIFETIME) > 0 ? MAX_CHAIN_LIFETIME : span;
    }

    /**
     * The request a decision is stored with: blank model hints dropped, missing sizes at their defaults, and the
     * coordinates without the definition version and the tenant, which a decision does not record.
     */
    public DecideCommand requestOf(DecideCommand c) {
        ProcessCoordinates w = c.where();
        return new DecideCommand(
                c.idempotencyKey(),
                c.project(),
                new ProcessCoordinates(
                        w.bpmnProcessId(),
                        w.processDefinitionKey(),
                        null,
                        w.processInstanceKey(),
                        w.elementId(),
                        w.elementInstanceKey(),
                        w.jobKey(),
                        null),
                c.taskKind(),
                c.modelHint() == null || c.modelHint().isBlank() ? null : c.modelHint(),
                c.estimatedInputTokens() == null ? 0 : c.estimatedInputTokens(),
                c.maxOutputTokens() == null ? defaultMaxOutputTokens : c.maxOutputTokens(),
                c.tags());
    }
}
