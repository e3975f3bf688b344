package io.aiops.worker;

import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.ProviderHealth;
import io.aiops.policy.api.ProviderHealth.CircuitState;
import io.aiops.providers.ResilientProviderCaller;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every circuit-breaker state change of this worker's provider models to the policy service
 * ({@code POST /api/v1/providers/health}), so decisions for every worker move a model with an open circuit to the end
 * of the failover chain. Reports are sent in order on one background thread, never on the call path; a report that
 * cannot be delivered is logged and dropped (the next change reports the state again).
 */
public final class ProviderHealthReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderHealthReporter.class);

    private final PolicyClient policy;
    private final String reporter;
    private final Clock clock;
    private final Consumer<Runnable> sender;
    private final ExecutorService ownExecutor;

    /** Sends on its own background thread. */
    public ProviderHealthReporter(PolicyClient policy, String reporter, Clock clock) {
        this(policy, reporter, clock, Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "provider-health-reporter");
            thread.setDaemon(true);
            return thread;
        }));
    }

    private ProviderHealthReporter(PolicyClient policy, String reporter, Clock clock, ExecutorService executor) {
        this(policy, reporter, clock, executor::execute, executor);
    }

    /** Sends through {@code sender} (tests pass {@code Runnable::run} to send at once). */
    ProviderHealthReporter(
            PolicyClient policy, String reporter, Clock clock, Consumer<Runnable> sender, ExecutorService ownExecutor) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.ownExecutor = ownExecutor;
    }

    /** Follows the state changes of every circuit breaker of {@code caller}, present and future. */
    public ProviderHealthReporter watch(ResilientProviderCaller caller) {
        caller.circuitBreakers().getEventPublisher().onEntryAdded(added -> follow(added.getAddedEntry()));
        caller.circuitBreakers().getAllCircuitBreakers().forEach(this::follow);
        return this;
    }

    private void follow(CircuitBreaker circuit) {
        circuit.getEventPublisher()
                .onStateTransition(event ->
                        report(circuit.getName(), event.getStateTransition().getToState()));
    }

    private void report(String key, CircuitBreaker.State state) {
        int colon = key.indexOf(':');
        if (colon <= 0) {
            return;
        }
        // provider names never contain ':', model names may (e.g. llama3:8b)
        ProviderHealth health = new ProviderHealth(
                key.substring(0, colon), key.substring(colon + 1), stateOf(state), reporter, clock.instant());
        sender.accept(() -> {
            try {
                policy.reportProviderHealth(health);
                LOG.info(
                        "Reported circuit {} of {}/{} to the policy service",
                        health.state(),
                        health.provider(),
                        health.model());
            } catch (RuntimeException e) {
                LOG.warn(
                        "Could not report circuit {} of {}/{}: {}",
                        health.state(),
                        health.provider(),
                        health.model(),
                        e.getMessage());
            }
        });
    }

    static CircuitState stateOf(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
            case CLOSED, DISABLED, METRICS_ONLY -> CircuitState.CLOSED;
        };
    }

    @Override
    public void close() {
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
    }
}
