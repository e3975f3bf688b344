package io.aiops.policy.adapter.in.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications per client address in fixed one-minute windows; once an address reaches the limit,
 * it is refused until its window ends, valid key or not, so guessing keys gets no faster by trying harder. In memory
 * per instance: behind a proxy, configure {@code server.forward-headers-strategy} so the client address is the real
 * one.
 */
final class FailedAuthenticationLimiter {

    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_TRACKED = 100_000;

    private final int limit;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(Instant start, int failures) {}

    FailedAuthenticationLimiter(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** How long the address must wait before trying again, or {@link Duration#ZERO} when it may try now. */
    Duration retryAfter(String address) {
        Window window = windows.get(address);
        Instant now = clock.instant();
        if (window == null || window.failures() < limit) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, window.start().plus(WINDOW));
        return left.isNegative() || left.isZero() ? Duration.ZERO : left;
    }

    void recordFailure(String address) {
        Instant now = clock.instant();
        if (windows.size() >= MAX_TRACKED) {
            windows.values().removeIf(w -> !w.start().plus(WINDOW).isAfter(now));
            if (windows.size() >= MAX_TRACKED) {
                // a flood of distinct addresses: forgetting all beats running out of memory
                windows.clear();
            }
        }
        windows.compute(
                address,
                (a, w) -> w == null || !w.start().plus(WINDOW).isAfter(now)
                        ? new Window(now, 1)
                        : new Window(w.start(), w.failures() + 1));
    }
}
