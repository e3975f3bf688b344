package io.aiops.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorStatsTest {

    @Test
    void anAnswerWithAQualityFaultIsStillAnsweredAndBilledATransportFaultIsNot() {
        SimulatorStats stats = new SimulatorStats(
                10,
                Map.of("gpt-4o-mini", 7L, "gpt-4o", 3L),
                5,
                Map.of(
                        "gpt-4o-mini", Map.of("503", 2L, "off-schema", 2L),
                        "gpt-4o", Map.of("timeout", 1L)));

        // 10 requests, 3 never answered (503, 503, timeout); the 2 off-schema answers were answers
        assertThat(stats.answeredRequests()).isEqualTo(7);
    }
}
