package io.aiops.policy.application.service.fakes;

import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.application.port.out.AlertStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Fired alerts in a list, each rule × subject × period recorded once (the store's unique key). The delivery outbox
 * is not faked: the outcome path only fires alerts.
 */
public final class InMemoryAlertStore implements AlertStore {

    private final List<FiredAlert> fired = new ArrayList<>();
    private final Set<List<String>> keys = new HashSet<>();

    @Override
    public boolean recordIfNew(FiredAlert alert, List<NewDelivery> deliveries) {
        if (!keys.add(List.of(alert.ruleId(), alert.subject(), alert.period()))) {
            return false;
        }
        fired.add(alert);
        return true;
    }

    @Override
    public List<DueDelivery> claimDue(Instant now, Instant leaseUntil, int limit) {
        throw new UnsupportedOperationException("the delivery outbox is not faked");
    }

    @Override
    public void delivered(UUID alertId, String channel, int attempts, Instant at) {
        throw new UnsupportedOperationException("the delivery outbox is not faked");
    }

    @Override
    public void attemptFailed(UUID alertId, String channel, int attempts, String error, Instant nextAttemptAt) {
        throw new UnsupportedOperationException("the delivery outbox is not faked");
    }

    @Override
    public List<FiredAlert> list(Instant from, Instant to, List<String> projects, FiredAlert.DeliveryState state) {
        return fired.stream()
                .filter(a -> !a.firedAt().isBefore(from) && a.firedAt().isBefore(to))
                .filter(a -> projects.isEmpty() || projects.contains(a.project()))
                .filter(a -> state == null || a.deliveryState() == state)
                .sorted(Comparator.comparing(FiredAlert::firedAt).reversed())
                .toList();
    }

    /** Every alert recorded, in firing order. */
    public List<FiredAlert> fired() {
        return List.copyOf(fired);
    }
}
