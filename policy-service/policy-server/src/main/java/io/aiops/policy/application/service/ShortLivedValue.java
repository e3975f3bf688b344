package io.aiops.policy.application.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One value loaded from the database and reused for a short time, so the hot path does not read rarely changing
 * definitions on every request. {@link #invalidate()} makes the next read load again, at once and once more after the
 * changing transaction commits.
 */
final class ShortLivedValue<T> {

    private record Loaded<T>(T value, Instant loadedAt, long generation) {}

    private final Clock clock;
    private final Duration ttl;
    private final Supplier<T> loader;
    /** Bumped by every invalidation; a load that started before the bump is not kept. */
    private final AtomicLong generation = new AtomicLong();

    private volatile Loaded<T> loaded;

    ShortLivedValue(Clock clock, Duration ttl, Supplier<T> loader) {
        this.clock = clock;
        this.ttl = ttl;
        this.loader = loader;
    }

    T get() {
        Instant now = clock.instant();
        Loaded<T> known = loaded;
        long current = generation.get();
        if (known != null
                && known.generation() == current
                && !known.loadedAt().isAfter(now)
                && known.loadedAt().plus(ttl).isAfter(now)) {
            return known.value();
        }
        T value = loader.get();
        if (!ttl.isZero()) {
            loaded = new Loaded<>(value, now, current);
        }
        return value;
    }

    /**
     * Forgets the value now and again after the surrounding transaction commits: a request that loads between the
     * change and its commit still sees the old rows, and must not keep them for a whole TTL.
     */
    void invalidate() {
        generation.incrementAndGet();
        loaded = null;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    generation.incrementAndGet();
                    loaded = null;
                }
            });
        }
    }
}
