package io.aiops.simulator;

import java.util.Map;

/**
 * A snapshot of what reached the simulator: chat requests per model and faults injected per model and fault token
 * (e.g. {@code "503"}, {@code "timeout"}). Requests whose body could not be read count under {@code "(unreadable)"}.
 */
public record SimulatorStats(
        long totalRequests,
        Map<String, Long> requestsByModel,
        long totalFaults,
        Map<String, Map<String, Long>> faultsByModel) {

    public SimulatorStats {
        requestsByModel = Map.copyOf(requestsByModel);
        faultsByModel = Map.copyOf(faultsByModel);
    }

    /**
     * Requests the simulator answered with a model's answer, which a real provider bills: every request but those
     * given a transport fault (an error status, a time-out, a dropped connection, a broken body). An answer with a
     * quality fault ({@link FaultKind#inAnswer()}: a refusal, off-schema JSON, ...) is still an answer, and billed.
     */
    public long answeredRequests() {
        long transportFaults = faultsByModel.values().stream()
                .flatMap(byKind -> byKind.entrySet().stream())
                .filter(fault -> !FaultKind.fromToken(fault.getKey()).inAnswer())
                .mapToLong(Map.Entry::getValue)
                .sum();
        return totalRequests - transportFaults;
    }

    /** Requests for one model that reached the simulator (0 if none). */
    public long requests(String model) {
        return requestsByModel.getOrDefault(model, 0L);
    }

    /** Faults injected for one model (0 if none). */
    public long faults(String model) {
        return faultsByModel.getOrDefault(model, Map.of()).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Faults of one kind injected for one model (0 if none). */
    public long faults(String model, FaultKind kind) {
        return faultsByModel.getOrDefault(model, Map.of()).getOrDefault(kind.token(), 0L);
    }
}
