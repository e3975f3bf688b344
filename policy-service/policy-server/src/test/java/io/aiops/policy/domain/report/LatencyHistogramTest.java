package io.aiops.policy.domain.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    private static LatencyHistogram with(int bucket, long count) {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[bucket] = count;
        return LatencyHistogram.of(counts);
    }

    @Test
    void aPercentileLiesInsideTheBucketThatHoldsIt() {
        // 100 calls between 500 and 1000 ms: the median is read half-way through the bucket
        LatencyHistogram h = with(3, 100);
        assertThat(h.percentile(0.5)).hasValue(750);
        assertThat(h.percentile(0.95)).hasValue(975);
        assertThat(h.percentile(1.0)).hasValue(1000);
    }

    @Test
    void bucketsAddUpAndTheTailIsShownAsMoreThanTheLastBound() {
        LatencyHistogram h = with(0, 90).plus(with(LatencyHistogram.BUCKETS - 1, 10));
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.percentile(0.5)).hasValue(56);
        assertThat(h.beyondLastBound(0.5)).isFalse();
        assertThat(h.percentile(0.95)).hasValue(60_000);
        assertThat(h.beyondLastBound(0.95)).isTrue();
    }

    @Test
    void noCallsNoPercentileAndBadInputIsRefused() {
        assertThat(LatencyHistogram.empty().percentile(0.5)).isEmpty();
        assertThatThrownBy(() -> LatencyHistogram.of(new long[3])).hasMessageContaining("13 buckets");
        assertThatThrownBy(() -> LatencyHistogram.empty().percentile(0)).hasMessageContaining("(0, 1]");
    }
}
