package io.aiops.policy.domain.quality;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Whether a recent pass rate is significantly below its baseline: a one-sided two-proportion z-test. With the pooled
 * rate {@code p = (k0 + k1) / (n0 + n1)}, {@code z = (k1/n1 - k0/n0) / sqrt(p (1 - p) (1/n0 + 1/n1))}; the drop is
 * significant at the 1 % level when {@code z <= -2.326}. It counts only with at least {@code minSamples} scores on
 * each side (the normal approximation needs them, and so 3 failures in 5 calls page nobody) and a drop of at least
 * {@code minDropPoints} percentage points (a significant but tiny drop is not worth waking anyone).
 */
public final class PassRateDrop {

    /** The one-sided 1 % critical value of the standard normal distribution. */
    public static final double CRITICAL_Z = -2.326;

    /** What the test found: the rates in percent, the drop in points, z, and whether to alert. */
    public record Verdict(
            BigDecimal baselinePercent, BigDecimal recentPercent, BigDecimal dropPoints, double z, boolean drop) {}

    private PassRateDrop() {}

    /**
     * @param baselineScores n0, scores in the baseline
     * @param baselinePassed k0, of them passed
     * @param recentScores n1, scores in the recent window
     * @param recentPassed k1, of them passed
     */
    public static Verdict test(
            long baselineScores,
            long baselinePassed,
            long recentScores,
            long recentPassed,
            int minSamples,
            BigDecimal minDropPoints) {
        if (baselineScores <= 0 || recentScores <= 0) {
            return new Verdict(null, null, null, 0, false);
        }
        BigDecimal baseline = percent(baselinePassed, baselineScores);
        BigDecimal recent = percent(recentPassed, recentScores);
        BigDecimal drop = baseline.subtract(recent);
        double p0 = (double) baselinePassed / baselineScores;
        double p1 = (double) recentPassed / recentScores;
        double pooled = (double) (baselinePassed + recentPassed) / (baselineScores + recentScores);
        double spread = Math.sqrt(pooled * (1 - pooled) * (1.0 / baselineScores + 1.0 / recentScores));
        // all passed or all failed on both sides: no variance, and no drop either
        double z = spread == 0 ? 0 : (p1 - p0) / spread;
        boolean significant = baselineScores >= minSamples
                && recentScores >= minSamples
                && drop.compareTo(minDropPoints) >= 0
                && z <= CRITICAL_Z;
        return new Verdict(baseline, recent, drop, z, significant);
    }

    private static BigDecimal percent(long part, long whole) {
        return BigDecimal.valueOf(part * 100L).divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP);
    }
}
