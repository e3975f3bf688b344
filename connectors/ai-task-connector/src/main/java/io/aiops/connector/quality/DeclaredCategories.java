package io.aiops.connector.quality;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The categories a classifying task declares and its fallback: reads a model's answer as exactly one declared category,
 * else the fallback, never as free text. The one place where an answer is compared with a category.
 */
final class DeclaredCategories {

    static final DeclaredCategories NONE = new DeclaredCategories(Map.of(), null);

    // control, format (zero-width, BOM) and separator characters all read as one space
    private static final Pattern SPACE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Z}\\s]+");
    // quotes and emphasis a model puts around a one-word answer, and the punctuation it ends a sentence with
    private static final Pattern WRAPPING = Pattern.compile("^[\"'`*_“”‘’«»„ ]+|[\"'`*_“”‘’«»„ .!?;:,…。]+$");

    /** Declared categories by their comparison key, in declared order, each as the builder spelled it. */
    private final Map<String, String> byKey;

    private final String fallback;

    private DeclaredCategories(Map<String, String> byKey, String fallback) {
        this.byKey = byKey;
        this.fallback = fallback;
    }

    /**
     * The task's declaration.
     *
     * @param declared a list of names, or one text of names separated by commas or line breaks; null for none
     * @param fallback the value an answer naming no category is read as; null or blank for none
     * @throws IllegalArgumentException when the declaration is neither, or a fallback is given without categories
     */
    static DeclaredCategories of(Object declared, String fallback) {
        Collection<?> items;
        if (declared == null) {
            items = List.of();
        } else if (declared instanceof Collection<?> collection) {
            items = collection;
        } else if (declared instanceof String text) {
            items = Arrays.asList(text.split("[,\\n]"));
        } else {
            throw new IllegalArgumentException("categories must be a list of names or a comma-separated text");
        }
        Map<String, String> byKey = new LinkedHashMap<>();
        for (Object item : items) {
            String name = Objects.toString(item, "").strip();
            String key = key(name);
            // a name that is only quotes or punctuation would match an empty answer
            if (!key.isEmpty()) {
                byKey.putIfAbsent(key, name);
            }
        }
        String givenFallback = fallback == null || fallback.isBlank() ? null : fallback.strip();
        if (givenFallback != null && byKey.isEmpty()) {
            throw new IllegalArgumentException(
                    "fallbackCategory '" + givenFallback + "' is given, but no categories are declared");
        }
        // a fallback that is one of the categories is spelled as declared, so gateways compare one spelling
        String resolvedFallback = givenFallback == null ? null : byKey.getOrDefault(key(givenFallback), givenFallback);
        return byKey.isEmpty() ? NONE : new DeclaredCategories(Collections.unmodifiableMap(byKey), resolvedFallback);
    }

    boolean declared() {
        return !byKey.isEmpty();
    }

    /** The declared categories in order, as spelled by the builder. */
    List<String> names() {
        return List.copyOf(byKey.values());
    }

    /** The fallback, or null when the task gives none. */
    String fallback() {
        return fallback;
    }

    /**
     * The declared category the whole answer names, compared without case, Unicode compatibility forms, surrounding
     * quotes or spaces, and final punctuation ({@code "Billing."} names {@code billing}); null when it names none.
     */
    String named(String answer) {
        if (answer == null) {
            return null;
        }
        String key = key(answer);
        return key.isEmpty() ? null : byKey.get(key);
    }

    /** The comparison key: NFKC, spaces collapsed, wrapping quotes and final punctuation dropped, lower case. */
    static String key(String text) {
        String normalised = Normalizer.normalize(text, Normalizer.Form.NFKC);
        normalised = SPACE.matcher(normalised).replaceAll(" ");
        normalised = WRAPPING.matcher(normalised).replaceAll("");
        return normalised.toLowerCase(Locale.ROOT);
    }
}
