package io.aiops.policy.domain.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void membersAreSortedByUtf16CodeUnitsWhateverTheInsertionOrder() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", 1);
        a.put("a", List.of(true, false));
        a.put("\u00e9", null);
        a.put("B", "x");
        a.put("\ud83d\ude00", "smile"); // U+1F600 sorts before U+FB01 in UTF-16, after it in code points
        a.put("\ufb01", "ligature");
        Map<String, Object> b = new HashMap<>(a);

        String expected = "{\"B\":\"x\",\"a\":[true,false],\"b\":1,\"\u00e9\":null,\"\ud83d\ude00\":\"smile\","
                + "\"\ufb01\":\"ligature\"}";
        assertThat(CanonicalJson.write(a)).isEqualTo(expected);
        assertThat(CanonicalJson.write(b)).isEqualTo(expected);
    }

    @Test
    void stringsUseShortEscapesLowercaseHexAndKeepEverythingElse() {
        assertThat(CanonicalJson.write("q\" b\\ \b\t\n\f\r \u0001\u001f / \u007f \u2028 ü"))
                .isEqualTo("\"q\\\" b\\\\ \\b\\t\\n\\f\\r \\u0001\\u001f / \u007f \u2028 ü\"");
    }

    @Test
    void decimalsAreExactPlainStringsAndIntegersAreNumbers() {
        assertThat(CanonicalJson.write(Map.of("cost", new BigDecimal("1E-7"), "tokens", 12L, "n", -3)))
                .isEqualTo("{\"cost\":\"0.0000001\",\"n\":-3,\"tokens\":12}");
    }

    @Test
    void unpairedSurrogatesAndUnsupportedValuesAreRefusedAndCanBeRepaired() {
        String broken = "a\ud800b";
        assertThatThrownBy(() -> CanonicalJson.write(broken)).hasMessageContaining("unpaired surrogate");
        assertThat(CanonicalJson.write(CanonicalJson.wellFormed(broken))).isEqualTo("\"a\ufffdb\"");
        assertThat(CanonicalJson.wellFormed("ok \ud83d\ude00")).isEqualTo("ok \ud83d\ude00");
        assertThatThrownBy(() -> CanonicalJson.write(1.5d)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.write(Map.of(1, "x"))).hasMessageContaining("keys must be strings");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        Object deep = "leaf";
        for (int i = 0; i < 70; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThatThrownBy(() -> CanonicalJson.write(tooDeep)).hasMessageContaining("nested deeper");
        assertThat(CanonicalJson.write(Arrays.asList(1, null))).isEqualTo("[1,null]");
    }
}
