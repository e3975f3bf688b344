package io.aiops.policy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetThresholdsTest {

    private static List<Integer> crossed(BudgetMode mode, List<Integer> thresholds, String before, String after) {
        return BudgetThresholds.crossed(
                new BigDecimal("3"), mode, thresholds, new BigDecimal(before), new BigDecimal(after));
    }

    @Test
    void aThresholdIsCrossedByThePostingThatReachesItExactly() {
        // 50 % of $3 is $1.5: reaching it counts, staying just below does not, being past it already does not
        assertThat(crossed(BudgetMode.HARD, List.of(50, 80), "1.0", "1.5")).containsExactly(50);
        assertThat(crossed(BudgetMode.HARD, List.of(50, 80), "1.0", "1.499999999999"))
                .isEmpty();
        assertThat(crossed(BudgetMode.HARD, List.of(50, 80), "1.5", "2.0")).isEmpty();
    }

    @Test
    void onePostingCanCrossSeveralThresholds() {
        assertThat(crossed(BudgetMode.HARD, List.of(50, 80, 100), "0", "3.3")).containsExactly(50, 80, 100);
    }

    @Test
    void softBudgetsAlwaysWatchTheirLimitHardOnesOnlyWhenAsked() {
        assertThat(crossed(BudgetMode.SOFT, List.of(), "2.9", "3.1")).containsExactly(100);
        assertThat(crossed(BudgetMode.SOFT, List.of(90), "2.0", "3.1")).containsExactly(90, 100);
        assertThat(crossed(BudgetMode.HARD, List.of(), "2.9", "3.1")).isEmpty();
    }
}
