package io.aiops.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters behind {@link SimulatorStats}. */
final class StatsCounter {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> faults = new ConcurrentHashMap<>();

    void request(String model) {
        requests.computeIfAbsent(model, m -> new LongAdder()).increment();
    }

    void fault(String model, FaultKind kind) {
        faults.computeIfAbsent(model, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(kind.token(), k -> new LongAdder())
                .increment();
    }

    synchronized void reset() {
        requests.clear();
        faults.clear();
    }

    synchronized SimulatorStats snapshot() {
        Map<String, Long> req = new TreeMap<>();
        requests.forEach((model, n) -> req.put(model, n.sum()));
        Map<String, Map<String, Long>> flt = new TreeMap<>();
        faults.forEach((model, byKind) -> {
            Map<String, Long> counts = new TreeMap<>();
            byKind.forEach((kind, n) -> counts.put(kind, n.sum()));
            flt.put(model, Map.copyOf(counts));
        });
        long totalReq = req.values().stream().mapToLong(Long::longValue).sum();
        long totalFaults = flt.values().stream()
                .flatMap(m -> m.values().stream())
                .mapToLong(Long::longValue)
                .sum();
        return new SimulatorStats(totalReq, req, totalFaults, flt);
    }
}
