package io.aiops.policy.domain;

/**
 * How prompts and answers are stored: exactly, although PostgreSQL text and jsonb refuse U+0000 and UTF-8 has no
 * unpaired surrogates. Each such code unit, and the escape character U+E000 itself, is written as U+E000 followed by
 * its four upper-case hex digits ({@code "\u0000"} becomes {@code "\uE0000000"}, an unpaired {@code "\uD800"} becomes
 * {@code "\uE000D800"}, {@code "\uE000"} becomes {@code "\uE000E000"}); every other character is kept. Text without
 * these (nearly all text) is stored unchanged, and {@link #decode} gives back exactly what {@link #encode} was given.
 */
public final class StoredText {

    /** A private-use character: it has no meaning of its own in any text a model or a person writes. */
    public static final char ESCAPE = '\uE000';

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private StoredText() {}

    /** The stored form of {@code text} (null stays null). */
    public static String encode(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean escaped = c == '\u0000' || c == ESCAPE || (Character.isSurrogate(c) && !paired);
            if (escaped && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped) {
                out.append(ESCAPE)
                        .append(HEX[(c >> 12) & 0xF])
                        .append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
                continue;
            }
            if (out != null) {
                out.append(c);
                if (paired) {
                    out.append(text.charAt(i + 1));
                }
            }
            if (paired) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * The text {@link #encode} was given. An escape character not followed by four hex digits (text stored before this
     * encoding, or cut by redaction) is kept as it is.
     */
    public static String decode(String stored) {
        if (stored == null || stored.indexOf(ESCAPE) < 0) {
            return stored;
        }
        StringBuilder out = new StringBuilder(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            int unit = c == ESCAPE && i + 4 < stored.length() ? hex(stored, i + 1) : -1;
            if (unit >= 0) {
                out.append((char) unit);
                i += 4;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hex(String s, int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(s.charAt(i), 16);
            if (digit < 0 || Character.isLowerCase(s.charAt(i))) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
