package io.aiops.policy.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.domain.report.SpendDrivers.Decomposition;
import io.aiops.policy.domain.report.SpendDrivers.Driver;
import io.aiops.policy.domain.report.SpendDrivers.ModelFigures;
import io.aiops.policy.domain.report.SpendDrivers.Period;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendDriversTest {

    private static ModelFigures model(long attempts, long tokens, String cost) {
        return new ModelFigures(attempts, tokens, new BigDecimal(cost));
    }

    private static BigDecimal effect(Decomposition d, Driver driver) {
        return d.effects().get(driver);
    }

    @Test
    void twiceTheCallsAtTheSameMixTokensAndPriceIsAllVolume() {
        Period before = new Period(10, Map.of("a", model(10, 1000, "1.000000")));
        Period after = new Period(20, Map.of("a", model(20, 2000, "2.000000")));
        Decomposition d = SpendDrivers.decompose(before, after);
        assertThat(d.change()).isEqualByComparingTo("1");
        assertThat(effect(d, Driver.VOLUME)).isEqualByComparingTo("1");
        assertThat(effect(d, Driver.MIX)).isZero();
        assertThat(effect(d, Driver.TOKENS)).isZero();
        assertThat(effect(d, Driver.PRICE)).isZero();
        assertThat(effect(d, Driver.OTHER)).isZero();
    }

    @Test
    void aPriceCutAtTheSameUseIsAllPrice() {
        Period before = new Period(4, Map.of("a", model(4, 400, "0.400000")));
        Period after = new Period(4, Map.of("a", model(4, 400, "0.100000")));
        Decomposition d = SpendDrivers.decompose(before, after);
        assertThat(effect(d, Driver.PRICE)).isEqualByComparingTo("-0.3");
        assertThat(effect(d, Driver.VOLUME)).isZero();
        assertThat(effect(d, Driver.TOKENS)).isZero();
    }

    @Test
    void longerPromptsAreTokensAndTheyInteractWithVolumeSymmetrically() {
        // calls double and tokens per call double: $1 -> $4; Shapley splits the $1 of interaction evenly
        Period before = new Period(10, Map.of("a", model(10, 1000, "1")));
        Period after = new Period(20, Map.of("a", model(20, 4000, "4")));
        Decomposition d = SpendDrivers.decompose(before, after);
        assertThat(effect(d, Driver.VOLUME)).isEqualByComparingTo("1.5");
        assertThat(effect(d, Driver.TOKENS)).isEqualByComparingTo("1.5");
        assertThat(effect(d, Driver.PRICE)).isZero();
        assertThat(effect(d, Driver.MIX)).isZero();
    }

    @Test
    void aNewModelMovesSpendThroughTheMixOnly() {
        // half the calls move to a model ten times as dear; calls, tokens per attempt and each model's price stay
        Period before = new Period(10, Map.of("cheap", model(10, 1000, "0.1")));
        Period after = new Period(10, Map.of("cheap", model(5, 500, "0.05"), "dear", model(5, 500, "0.5")));
        Decomposition d = SpendDrivers.decompose(before, after);
        assertThat(d.change()).isEqualByComparingTo("0.45");
        assertThat(effect(d, Driver.MIX)).isEqualByComparingTo("0.45");
        assertThat(effect(d, Driver.VOLUME)).isZero();
        assertThat(effect(d, Driver.TOKENS)).isZero();
        assertThat(effect(d, Driver.PRICE)).isZero();
        assertThat(d.largest().orElseThrow().getKey()).isEqualTo(Driver.MIX);
    }

    @Test
    void aRetiredModelAndAWorkflowThatStoppedAreMixAndVolume() {
        Period before = new Period(10, Map.of("old", model(10, 1000, "0.3"), "kept", model(5, 500, "0.1")));
        Period after = new Period(10, Map.of("kept", model(10, 1000, "0.2")));
        Decomposition retired = SpendDrivers.decompose(before, after);
        assertThat(effect(retired, Driver.MIX)).isEqualByComparingTo("-0.2");
        assertThat(effect(retired, Driver.PRICE)).isZero();

        Decomposition stopped = SpendDrivers.decompose(after, new Period(0, Map.of()));
        assertThat(stopped.change()).isEqualByComparingTo("-0.2");
        assertThat(stopped.effects().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("-0.2");
    }

    @Test
    void theDriversAlwaysAddUpToTheChangeToTheMicroDollar() {
        Period before =
                new Period(7, Map.of("a", model(7, 3333, "0.001234567891"), "b", model(2, 777, "0.000999999999")));
        Period after = new Period(
                11,
                Map.of(
                        "a", model(9, 5000, "0.002000000001"),
                        "c", model(4, 1234, "0.0042"),
                        "z", model(1, 0, "0.000001")));
        Decomposition d = SpendDrivers.decompose(before, after);
        BigDecimal sum = d.effects().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualByComparingTo(d.change().setScale(6, java.math.RoundingMode.HALF_EVEN));
        // the attempt with a cost but no tokens is what the product form cannot see
        assertThat(effect(d, Driver.OTHER)).isEqualByComparingTo("0.000001");
    }
}
