package io.aiops.policy.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of a prompt template, stated once for the registry (which lists a version's variables) and the
 * worker (which fills them): {@code {{name}}}, spaces inside the braces allowed, names of letters, digits, {@code _}
 * and {@code .}, starting with a letter or {@code _}. Everything else is text.
 */
public final class PromptTemplates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*}}");

    private PromptTemplates() {}

    /** The variables the template needs, each once, in order of first use. */
    public static List<String> variables(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template == null ? "" : template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return List.copyOf(names);
    }

    /**
     * The template with every placeholder replaced by its value's text ({@code null} values and nested values are
     * written as JSON would show them).
     *
     * @throws IllegalArgumentException naming every variable the values lack
     */
    public static String render(String template, Map<String, ?> values) {
        List<String> missing = new ArrayList<>();
        for (String name : variables(template)) {
            if (!values.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the prompt needs the variable(s) " + missing + ", which "
                    + (values.isEmpty() ? "were not given" : "are not among " + values.keySet()));
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 64);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(text(values.get(m.group(1)))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        try {
            return PolicyClient.JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
