package io.aiops.policy.application.service;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Per-key {@link ShortLivedValue}s: what decisions read of a project's settings, reused for a short time. A change
 * made on this instance is seen at once ({@link #changed()}); one made on another instance within the TTL. A zero TTL
 * reads every time.
 */
final class RecentByKey<K, V> {

    private static final int LIMIT = 10_000;

    private final Clock clock;
    private final Duration ttl;
    private final Map<K, ShortLivedValue<V>> recent = new ConcurrentHashMap<>();

    RecentByKey(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    V get(K key, Supplier<V> read) {
        if (ttl.isZero()) {
            return read.get();
        }
        if (recent.size() >= LIMIT) {
            recent.clear();
        }
        return recent.computeIfAbsent(key, k -> new ShortLivedValue<>(clock, ttl, read))
                .get();
    }

    /** Call when a setting changed: forgotten now, and again after the changing transaction completes. */
    void changed() {
        recent.clear();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    recent.clear();
                }
            });
        }
    }
}
