package io.aiops.policy.domain;

import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Which alert thresholds of a budget one posting of spent money crossed, from the window's spent before and after. */
public final class BudgetThresholds {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private BudgetThresholds() {}

    /**
     * The thresholds (percent of the limit) with {@code before < threshold <= after}, ascending. A SOFT budget always
     * has 100 %: it lets calls through past its limit, so being exceeded is what its owner must hear about.
     */
    public static List<Integer> crossed(
            BigDecimal limit,
            BudgetMode mode,
            List<Integer> thresholds,
            BigDecimal spentBefore,
            BigDecimal spentAfter) {
        TreeSet<Integer> watched = new TreeSet<>(thresholds);
        if (mode == BudgetMode.SOFT) {
            watched.add(100);
        }
        List<Integer> crossed = new ArrayList<>();
        // spent * 100 >= threshold * limit, exactly, without dividing
        BigDecimal before = spentBefore.multiply(HUNDRED);
        BigDecimal after = spentAfter.multiply(HUNDRED);
        for (int threshold : watched) {
            BigDecimal mark = limit.multiply(BigDecimal.valueOf(threshold));
            if (before.compareTo(mark) < 0 && after.compareTo(mark) >= 0) {
                crossed.add(threshold);
            }
        }
        return crossed;
    }
}
