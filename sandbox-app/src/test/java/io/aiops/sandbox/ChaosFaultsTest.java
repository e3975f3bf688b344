package io.aiops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.simulator.FaultKind;
import io.aiops.simulator.FaultRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosFaultsTest {

    @Test
    void primaryIsTheFirstSampleModelAllIsEveryModelOthersAreModelNames() {
        assertThat(ChaosFaults.parse(List.of("primary:503", "all:429@50%", "gpt-4o:timeoutx2")))
                .containsExactly(
                        FaultRule.always(LocalStack.PRIMARY_MODEL, FaultKind.OVERLOADED),
                        FaultRule.atRate("*", FaultKind.RATE_LIMIT, 50),
                        FaultRule.next("gpt-4o", FaultKind.TIMEOUT, 2));
        assertThat(ChaosFaults.parse(List.of("primary:400x1, primary:drop")))
                .extracting(FaultRule::kind)
                .containsExactly(FaultKind.BAD_REQUEST, FaultKind.DROP);
        assertThat(ChaosFaults.parse(null)).isEmpty();
    }

    @Test
    void badSpecsNameWhatIsWrong() {
        assertThatThrownBy(() -> ChaosFaults.parse(List.of("primary"))).hasMessageContaining("primary:503");
        assertThatThrownBy(() -> ChaosFaults.parse(List.of("primary:418"))).hasMessageContaining("418");
    }
}
