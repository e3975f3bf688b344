package io.aiops.policy.adapter.in.web;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bean Validation violations as the caller sees them: the JSON path of the offending value ({@code
 * attempts[2].inputTokens}) and the rule it breaks, in a stable order so the same request always names the same
 * first field.
 */
final class FieldViolations {

    /** One broken rule: the JSON path of the value and what is wrong with it. */
    record Violation(String field, String message) {}

    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    /** By path, indices compared as numbers ({@code attempts[2]} before {@code attempts[10]}), then by message. */
    static final Comparator<Violation> ORDER =
            Comparator.comparing((Violation v) -> sortKey(v.field())).thenComparing(Violation::message);

    private FieldViolations() {}

    static Violation of(ConstraintViolation<?> violation) {
        return new Violation(jsonPath(violation.getPropertyPath()), violation.getMessage());
    }

    static List<Violation> sorted(List<Violation> violations) {
        List<Violation> copy = new ArrayList<>(violations);
        copy.sort(ORDER);
        return List.copyOf(copy);
    }

    /**
     * The JSON path of a property path: method and parameter nodes of a controller call are dropped (the request body
     * is the root), except a parameter that is itself at fault (a path variable or query parameter), which names it;
     * container elements become their index or key.
     */
    static String jsonPath(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD
                    || kind == ElementKind.CONSTRUCTOR
                    || kind == ElementKind.RETURN_VALUE
                    || kind == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (kind == ElementKind.PARAMETER) {
                if (i == nodes.size() - 1) {
                    out.append(node.getName());
                }
                continue;
            }
            if (node.isInIterable()) {
                out.append('[')
                        .append(node.getIndex() != null ? node.getIndex() : node.getKey())
                        .append(']');
            }
            if (kind == ElementKind.PROPERTY) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(node.getName());
            }
        }
        return out.toString();
    }

    private static String sortKey(String field) {
        Matcher m = INDEX.matcher(field);
        StringBuilder key = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(
                    key, "[" + "0".repeat(Math.max(0, 10 - m.group(1).length())) + m.group(1) + "]");
        }
        m.appendTail(key);
        return key.toString();
    }
}
