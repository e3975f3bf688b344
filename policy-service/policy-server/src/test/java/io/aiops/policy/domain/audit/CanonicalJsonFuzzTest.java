package io.aiops.policy.domain.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fuzzes the audit canonicaliser: whatever it accepts must come back identical after a round trip through a JSON
 * parser (so a third party re-hashing an export gets the same hash), and whatever it refuses must be refused with its
 * own reason (depth, a value with no canonical form, an unpaired surrogate), never with another exception.
 * Seeds and past findings live in {@code CanonicalJsonFuzzTestInputs/<method>/}; docs/security.md says how to fuzz.
 */
class CanonicalJsonFuzzTest {

    /** Reads back what the canonicaliser wrote; NaN and Infinity are let through so the canonicaliser must refuse them. */
    private static final ObjectMapper PARSER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        PARSER.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    private static final int LIMIT = 64;

    @FuzzTest(maxDuration = "10s")
    void anyJsonDocumentIsCanonicalisedIdempotentlyOrRefusedForItsOwnReason(byte[] document) {
        Object parsed;
        try {
            // decoded as UTF-8 first, as text reaches the audit trail; lone surrogates still arrive as JSON escapes
            parsed = PARSER.readValue(new String(document, StandardCharsets.UTF_8), Object.class);
        } catch (JsonProcessingException e) {
            return; // not JSON: the canonicaliser never sees it
        }
        assertCanonicalOrRefused(parsed);
    }

    @FuzzTest(maxDuration = "10s")
    void generatedTreesRoundTripWithAStableHash(FuzzedDataProvider data) {
        Object tree = tree(data, 0);
        assertCanonicalOrRefused(tree);
    }

    private static void assertCanonicalOrRefused(Object value) {
        Set<String> reasons = new TreeSet<>();
        collectRefusals(value, 0, reasons);
        if (!reasons.isEmpty()) {
            // the canonicaliser stops at the first problem in its own traversal order: any applicable reason will do
            assertThatThrownBy(() -> CanonicalJson.write(value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(reasons).anyMatch(e.getMessage()::contains));
            return;
        }
        String canonical = CanonicalJson.write(value);
        Object reparsed;
        try {
            reparsed = PARSER.readValue(canonical, Object.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("canonical form is not JSON: " + canonical, e);
        }
        String again = CanonicalJson.write(reparsed);
        assertThat(again).isEqualTo(canonical);
        assertThat(AuditHashes.sha256Hex(again)).isEqualTo(AuditHashes.sha256Hex(canonical));
        assertThat(CanonicalJson.write(reordered(value))).isEqualTo(canonical);
    }

    /** Every reason the canonicaliser may give for refusing this value; none when it must accept it. */
    private static void collectRefusals(Object value, int depth, Set<String> reasons) {
        if (depth > LIMIT) {
            reasons.add("nested deeper than " + LIMIT);
            return;
        }
        switch (value) {
            case null -> {}
            case String s -> {
                if (!s.equals(CanonicalJson.wellFormed(s))) {
                    reasons.add("unpaired surrogate");
                }
            }
            case Integer i -> {}
            case Long l -> {}
            case Boolean b -> {}
            case BigDecimal d -> {}
            case Map<?, ?> map ->
                map.forEach((k, v) -> {
                    collectRefusals(k, depth, reasons);
                    collectRefusals(v, depth + 1, reasons);
                });
            case List<?> list -> list.forEach(v -> collectRefusals(v, depth + 1, reasons));
            default -> reasons.add("not a canonical JSON value");
        }
    }

    /** The same tree with every object's members in reverse insertion order: the canonical form must not change. */
    private static Object reordered(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            Map<Object, Object> reversed = new LinkedHashMap<>();
            for (int i = entries.size() - 1; i >= 0; i--) {
                reversed.put(entries.get(i).getKey(), reordered(entries.get(i).getValue()));
            }
            return reversed;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CanonicalJsonFuzzTest::reordered).toList();
        }
        return value;
    }

    private static Object tree(FuzzedDataProvider data, int depth) {
        if (data.remainingBytes() == 0) {
            return null;
        }
        return switch (data.consumeInt(0, depth > LIMIT + 2 ? 7 : 9)) {
            case 0 -> null;
            case 1 -> data.consumeBoolean();
            case 2 -> data.consumeInt();
            case 3 -> data.consumeLong();
            case 4 -> data.consumeString(40);
            case 5 -> new BigDecimal(BigInteger.valueOf(data.consumeLong()), data.consumeInt(-20, 20));
            case 6 -> data.consumeDouble();
            case 7 -> {
                byte[] magnitude = data.consumeBytes(12);
                yield magnitude.length == 0 ? BigInteger.ONE : new BigInteger(magnitude);
            }
            case 8 -> {
                int size = data.consumeInt(0, 4);
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    list.add(tree(data, depth + 1));
                }
                yield list;
            }
            default -> {
                int size = data.consumeInt(0, 4);
                Map<String, Object> map = new HashMap<>();
                for (int i = 0; i < size; i++) {
                    map.put(data.consumeString(12), tree(data, depth + 1));
                }
                yield map;
            }
        };
    }
}
