package io.aiops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.policy.api.AlertRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultPhasesTest {

    @Test
    void aQualityFaultWaitsForABaselineOfHalfTheInstancesAndTransportFaultsDoNot() {
        FaultPhases phases =
                FaultPhases.plan(40, null, ChaosFaults.parse(List.of("primary:off-schema@40%", "primary:503x1")), 3);

        assertThat(phases.baselineInstances()).isEqualTo(20);
        assertThat(phases.faultedInstances()).isEqualTo(20);
        assertThat(phases.fromStart()).extracting(f -> f.spec()).containsExactly("gpt-4o-mini:503x1");
        assertThat(phases.afterBaseline()).extracting(f -> f.spec()).containsExactly("gpt-4o-mini:off-schema@40%");
    }

    @Test
    void withoutQualityFaultsEveryFaultIsOnFromTheStartAndTheDefaultRunIsShort() {
        FaultPhases phases = FaultPhases.plan(null, null, ChaosFaults.parse(List.of("primary:400x1,primary:503")), 3);

        assertThat(phases.instances()).isEqualTo(FaultPhases.DEFAULT_INSTANCES);
        assertThat(phases.baselineInstances()).isZero();
        assertThat(phases.hasQualityPhase()).isFalse();
        assertThat(phases.fromStart()).hasSize(2);
        assertThat(phases.tooFewSamples(3)).isNull();
    }

    /** The default run with a quality fault has enough scored answers of every workflow on both sides of the switch. */
    @Test
    void theDefaultRunWithAQualityFaultMeetsTheRulesMinimumOnBothSides() {
        FaultPhases phases = FaultPhases.plan(null, null, ChaosFaults.parse(List.of("primary:off-schema@40%")), 3);

        assertThat(phases.instances()).isEqualTo(2 * 3 * FaultPhases.ANSWERS_PER_WORKFLOW_AND_PHASE);
        assertThat(phases.baselineInstances() / 3).isGreaterThanOrEqualTo(FaultPhases.QUALITY_DROP_MIN_SCORED);
        assertThat(phases.faultedInstances() / 3).isGreaterThanOrEqualTo(FaultPhases.QUALITY_DROP_MIN_SCORED);
        assertThat(phases.tooFewSamples(3)).isNull();
    }

    @Test
    void aRunTooShortForTheRuleSaysSoWithTheCounts() {
        FaultPhases phases = FaultPhases.plan(100, 70, ChaosFaults.parse(List.of("primary:off-schema@40%")), 3);

        assertThat(phases.tooFewSamples(3))
                .contains("QUALITY_DROP needs 20 scored answers")
                .contains("70 baseline and 30 faulted instances over 3 workflows give 23 and 10");
    }

    @Test
    void aBaselineThatDoesNotFitIsRefusedNamingTheOption() {
        var quality = ChaosFaults.parse(List.of("primary:refusal@10%"));
        assertThatThrownBy(() -> FaultPhases.plan(10, 11, quality, 3))
                .hasMessage("--baseline must be from 0 to the 10 instances, not 11");
        assertThatThrownBy(() -> FaultPhases.plan(10, -1, quality, 3)).hasMessageContaining("--baseline");
        assertThatThrownBy(() -> FaultPhases.plan(-1, null, quality, 3)).hasMessage("--instances must be >= 0");
        assertThatThrownBy(() -> FaultPhases.plan(10, 5, ChaosFaults.parse(List.of("primary:503")), 3))
                .hasMessageContaining("--baseline needs a quality fault");
    }

    @Test
    void theSandboxRuleIsAQualityDropOverOneMinuteWithTheRulesDefaultMinimum() {
        AlertRule rule = FaultPhases.qualityDropRule();

        assertThat(rule.kind()).isEqualTo(AlertRule.AlertKind.QUALITY_DROP);
        assertThat(rule.project()).isEqualTo(LocalStack.SAMPLE_PROJECT);
        assertThat(rule.window()).isEqualTo("PT1M");
        assertThat(rule.minCalls()).isEqualTo(20);
        // the drop threshold is the rule's default, the test the server's own
        assertThat(rule.thresholdPercent()).isNull();
    }
}
