package io.aiops.policy.application.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fields in which two forms of one object differ, as paths ({@code limitUsd}, {@code scope.project},
 * {@code candidates[1].model}); a field left out equals one set to null, and numbers are compared by value
 * ({@code 100} is {@code 100.00}), so a document read back from the server differs from it in nothing.
 */
final class FieldChanges {

    private FieldChanges() {}

    /** The differing paths, in the order the fields appear; empty when the two say the same. */
    static List<String> between(Object before, Object after) {
        List<String> paths = new ArrayList<>();
        compare("", normal(AuditRecorder.tree(before)), normal(AuditRecorder.tree(after)), paths);
        return paths;
    }

    private static void compare(String path, Object a, Object b, List<String> paths) {
        if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
            Set<Object> keys = new LinkedHashSet<>(right.keySet());
            keys.addAll(left.keySet());
            for (Object key : keys) {
                compare(path.isEmpty() ? key.toString() : path + "." + key, left.get(key), right.get(key), paths);
            }
            return;
        }
        if (a instanceof List<?> left && b instanceof List<?> right && left.size() == right.size()) {
            for (int i = 0; i < left.size(); i++) {
                compare(path + "[" + i + "]", left.get(i), right.get(i), paths);
            }
            return;
        }
        if (!sameValue(a, b)) {
            paths.add(path);
        }
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return Objects.equals(a, b);
    }

    /** Null fields dropped and an object without fields taken for none, at every depth. */
    private static Object normal(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> kept = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object n = normal(v);
                if (n != null) {
                    kept.put(k, n);
                }
            });
            return kept.isEmpty() ? null : kept;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(FieldChanges::normal).toList();
        }
        return value;
    }
}
