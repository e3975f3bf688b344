package io.aiops.policy.domain.report;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Call latencies counted in fixed buckets, as the ledger rollups keep them. A percentile is read by interpolating
 * linearly inside the bucket it falls in, so it is exact to within that bucket's width; past the last bound it is the
 * last bound (reported as "more than").
 */
public final class LatencyHistogram {

    /** Upper bounds (inclusive, ms) of every bucket but the last, which is unbounded; V80's ledger_rollup uses them. */
    public static final long[] BOUNDS_MS = {100, 250, 500, 1000, 2000, 3000, 5000, 7500, 10000, 15000, 30000, 60000};

    public static final int BUCKETS = BOUNDS_MS.length + 1;

    private final long[] counts;

    private LatencyHistogram(long[] counts) {
        this.counts = counts;
    }

    public static LatencyHistogram empty() {
        return new LatencyHistogram(new long[BUCKETS]);
    }

    /** The counts per bucket; refused unless there are {@value #BUCKETS} non-negative counts. */
    public static LatencyHistogram of(long[] counts) {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("a latency histogram has " + BUCKETS + " buckets, not " + counts.length);
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("a bucket count cannot be negative: " + c);
            }
        }
        return new LatencyHistogram(counts.clone());
    }

    public LatencyHistogram plus(LatencyHistogram other) {
        long[] sum = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            sum[i] = Math.addExact(counts[i], other.counts[i]);
        }
        return new LatencyHistogram(sum);
    }

    public long count() {
        return Arrays.stream(counts).sum();
    }

    /**
     * The {@code quantile} (0 < q <= 1) in ms, empty without calls. Calls in a bucket are taken as spread evenly over
     * it, so the result lies within the bucket that holds the quantile.
     */
    public OptionalLong percentile(double quantile) {
        if (!(quantile > 0 && quantile <= 1)) {
            throw new IllegalArgumentException("a quantile lies in (0, 1], not " + quantile);
        }
        long total = count();
        if (total == 0) {
            return OptionalLong.empty();
        }
        double rank = quantile * total;
        long below = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] > 0 && below + counts[i] >= rank) {
                if (i == BUCKETS - 1) {
                    return OptionalLong.of(BOUNDS_MS[BOUNDS_MS.length - 1]);
                }
                long lower = i == 0 ? 0 : BOUNDS_MS[i - 1];
                long upper = BOUNDS_MS[i];
                double within = (rank - below) / counts[i];
                return OptionalLong.of(Math.round(lower + within * (upper - lower)));
            }
            below += counts[i];
        }
        return OptionalLong.of(BOUNDS_MS[BOUNDS_MS.length - 1]);
    }

    /** Whether the quantile lies in the unbounded last bucket (shown as "more than" the last bound). */
    public boolean beyondLastBound(double quantile) {
        long total = count();
        return total > 0 && total - counts[BUCKETS - 1] < quantile * total;
    }
}
