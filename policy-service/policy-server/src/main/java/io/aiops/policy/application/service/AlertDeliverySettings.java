package io.aiops.policy.application.service;

import java.time.Duration;

/**
 * How alert deliveries are retried: attempt n failing waits {@code initialBackoff × 2^(n-1)} (at most
 * {@code maxBackoff}) before the next; after {@code maxAttempts} the delivery is FAILED. A claimed delivery is left
 * alone by other deliverers for {@code lease}, which must exceed the channels' request timeout.
 */
public record AlertDeliverySettings(
        int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration lease, int batchSize) {

    public AlertDeliverySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("aiops.alerts.delivery.max-attempts must be at least 1");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "alert delivery backoff must be positive and max-backoff >= initial-backoff");
        }
    }

    /** The wait after the {@code attempts}-th failed attempt. */
    public Duration backoffAfter(int attempts) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
