package io.aiops.policy.domain.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The degradation test: significant, large enough, and on enough answers, or no alert. */
class PassRateDropTest {

    private static final BigDecimal TEN_POINTS = BigDecimal.TEN;

    @Test
    void threeFailuresInFiveCallsPageNobody() {
        PassRateDrop.Verdict verdict = PassRateDrop.test(200, 196, 5, 2, 20, TEN_POINTS);

        assertThat(verdict.dropPoints()).isEqualByComparingTo("58");
        assertThat(verdict.z()).isLessThan(PassRateDrop.CRITICAL_Z);
        assertThat(verdict.drop()).as("5 answers are too few to judge").isFalse();
    }

    @Test
    void aLargeDropOnEnoughAnswersIsSignificant() {
        PassRateDrop.Verdict verdict = PassRateDrop.test(100, 95, 40, 24, 20, TEN_POINTS);

        assertThat(verdict.baselinePercent()).isEqualByComparingTo("95.0");
        assertThat(verdict.recentPercent()).isEqualByComparingTo("60.0");
        // pooled p = 119/140 = 0.85; se = sqrt(0.85 * 0.15 * (1/100 + 1/40)) = 0.0668; z = -0.35 / 0.0668
        assertThat(verdict.z()).isBetween(-5.25, -5.2);
        assertThat(verdict.drop()).isTrue();
    }

    @Test
    void aDropWithinChanceOrBelowTheThresholdIsNot() {
        // 95 % to 88 %: 7 points, below the 10 asked for, though significant on these numbers
        PassRateDrop.Verdict small = PassRateDrop.test(2000, 1900, 2000, 1760, 20, TEN_POINTS);
        assertThat(small.z()).isLessThan(PassRateDrop.CRITICAL_Z);
        assertThat(small.drop()).isFalse();
        // 90 % to 75 % on 20 answers each: 15 points, but z = -1.24, chance would do that
        PassRateDrop.Verdict chance = PassRateDrop.test(20, 18, 20, 15, 20, TEN_POINTS);
        assertThat(chance.z()).isBetween(-1.3, -1.2);
        assertThat(chance.drop()).isFalse();
        // a rise is never a drop
        assertThat(PassRateDrop.test(100, 50, 100, 90, 20, TEN_POINTS).drop()).isFalse();
        // all passed on both sides: no variance, no drop
        assertThat(PassRateDrop.test(100, 100, 100, 100, 20, TEN_POINTS).drop()).isFalse();
        assertThat(PassRateDrop.test(0, 0, 100, 0, 20, TEN_POINTS).drop()).isFalse();
    }
}
