package io.aiops.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void parsesEveryOption() {
        SimulatorConfig config = SimulatorConfig.fromArgs(
                "--port",
                "9000",
                "--latency-ms=25",
                "--latency",
                "llama3:8b:300",
                "--fault",
                "gpt-4o-mini:503",
                "--fault",
                "*:429@50%",
                "--fault",
                "gpt-4o:500x3",
                "--seed",
                "7",
                "--timeout-hold-ms",
                "1500",
                "--retry-after-s",
                "3",
                "--api-key",
                "sk-test",
                "--host",
                "0.0.0.0");
        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.latency()).isEqualTo(Duration.ofMillis(25));
        assertThat(config.modelLatency()).containsEntry("llama3:8b", Duration.ofMillis(300));
        assertThat(config.faults())
                .containsExactly(
                        FaultRule.always("gpt-4o-mini", FaultKind.OVERLOADED),
                        FaultRule.atRate("*", FaultKind.RATE_LIMIT, 50),
                        FaultRule.next("gpt-4o", FaultKind.SERVER_ERROR, 3));
        assertThat(config.seed()).isEqualTo(7);
        assertThat(config.timeoutHold()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.retryAfterSeconds()).isEqualTo(3);
        assertThat(config.apiKey()).isEqualTo("sk-test");
        assertThat(config.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void defaultsToPort8089WithoutFaults() {
        SimulatorConfig config = SimulatorConfig.fromArgs();
        assertThat(config.port()).isEqualTo(8089);
        assertThat(config.faults()).isEmpty();
        assertThat(config.latency()).isZero();
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        assertThatThrownBy(() -> SimulatorConfig.fromArgs("--port", "abc")).hasMessageContaining("--port");
        assertThatThrownBy(() -> SimulatorConfig.fromArgs("--fault", "gpt-4o:418"))
                .hasMessageContaining("418");
        assertThatThrownBy(() -> SimulatorConfig.fromArgs("--fault", "nocolon")).hasMessageContaining("nocolon");
        assertThatThrownBy(() -> SimulatorConfig.fromArgs("--bogus", "1")).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> SimulatorConfig.fromArgs("--port")).hasMessageContaining("missing value");
    }

    @Test
    void faultSpecsRoundTripAndAcceptAliases() {
        for (String spec : new String[] {"*:429@50%", "gpt-4o:500x2", "o3*:timeout", "m:429-quota@12.5%"}) {
            assertThat(FaultRule.parse(spec).spec()).isEqualTo(spec);
        }
        assertThat(FaultRule.parse("m:quota").kind()).isEqualTo(FaultKind.INSUFFICIENT_QUOTA);
        assertThat(FaultRule.parse("o3*:503").matches("o3-mini")).isTrue();
        assertThat(FaultRule.parse("o3*:503").matches("gpt-4o")).isFalse();
    }
}
