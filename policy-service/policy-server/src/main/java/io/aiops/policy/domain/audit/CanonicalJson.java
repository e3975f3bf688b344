package io.aiops.policy.domain.audit;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON form audit hashes are computed over (documented in docs/audit.md): RFC 8785 (JCS) layout — no
 * whitespace, object members sorted by the UTF-16 code units of their names, strings escaped with the two-character
 * forms for {@code \b \t \n \f \r " \\}, other control characters as six-character escapes with lowercase
 * hex (backslash, u, 00, two hex digits) and everything else literally — restricted to values that need no number
 * formatting choices: strings, integers, booleans and null. Decimals are written as strings of their plain form so no precision depends on a JSON parser.
 */
public final class CanonicalJson {

    private CanonicalJson() {}

    /**
     * Serialises a tree of {@link Map} (string keys), {@link List}, {@link String}, {@link Integer}, {@link Long},
     * {@link Boolean}, {@link BigDecimal} (as a plain string) and null.
     *
     * @throws IllegalArgumentException for any other value type or a non-string key
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    private static final int MAX_DEPTH = 64;

    private static void write(Object value, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Integer i -> out.append(i.intValue());
            case Long l -> out.append(l.longValue());
            case Boolean b -> out.append(b.booleanValue());
            case BigDecimal d -> string(d.toPlainString(), out);
            case Map<?, ?> map -> object(map, out, depth);
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out, depth + 1);
                }
                out.append(']');
            }
            default ->
                throw new IllegalArgumentException(
                        "not a canonical JSON value: " + value.getClass().getName());
        }
    }

    private static void object(Map<?, ?> map, StringBuilder out, int depth) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object key : map.keySet()) {
            if (!(key instanceof String s)) {
                throw new IllegalArgumentException("object keys must be strings, got " + key);
            }
            keys.add(s);
        }
        // String.compareTo orders by UTF-16 code units, as RFC 8785 requires
        keys.sort(String::compareTo);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(keys.get(i), out);
            out.append(':');
            write(map.get(keys.get(i)), out, depth + 1);
        }
        out.append('}');
    }

    /** The text with every unpaired surrogate replaced by U+FFFD, so it can be canonicalised and stored as UTF-8. */
    public static String wellFormed(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired =
                    Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (Character.isSurrogate(c) && !paired) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
                out.append('\uFFFD');
            } else {
                if (out != null) {
                    out.append(c);
                    if (paired) {
                        out.append(s.charAt(i + 1));
                    }
                }
                if (paired) {
                    i++;
                }
            }
        }
        return out == null ? s : out.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c)
                                && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            throw new IllegalArgumentException(
                                    "unpaired surrogate at index " + i + ": not valid Unicode text");
                        }
                    } else if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
