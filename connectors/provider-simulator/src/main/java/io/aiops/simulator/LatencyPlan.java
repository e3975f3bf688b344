package io.aiops.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Added response latency: one global value, overridden per exact model name; changeable at run time. */
public final class LatencyPlan {

    private volatile Duration global;
    private final Map<String, Duration> perModel = new ConcurrentHashMap<>();

    LatencyPlan(Duration global, Map<String, Duration> perModel) {
        this.global = Objects.requireNonNull(global);
        this.perModel.putAll(perModel);
    }

    /** The latency added to requests for {@code model}. */
    public Duration latencyFor(String model) {
        return model == null ? global : perModel.getOrDefault(model, global);
    }

    /** Sets the latency for all models without their own value. */
    public void setGlobal(Duration latency) {
        this.global = requireNonNegative(latency);
    }

    /** Sets the latency of one model ({@code *} sets the global value). */
    public void set(String model, Duration latency) {
        if ("*".equals(model)) {
            setGlobal(latency);
        } else {
            perModel.put(model, requireNonNegative(latency));
        }
    }

    /** Removes per-model values and sets the global latency to zero. */
    public void reset() {
        perModel.clear();
        global = Duration.ZERO;
    }

    private static Duration requireNonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
        return d;
    }
}
