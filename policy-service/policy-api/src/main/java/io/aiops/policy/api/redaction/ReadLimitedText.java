package io.aiops.policy.api.redaction;

/**
 * Text a regular expression reads with a budget of character reads: a pattern that backtracks catastrophically, e.g.
 * {@code (a+)+b}, runs out of reads and throws {@link RanAway} instead of stalling its thread. Counting reads instead of
 * time keeps the limit the same on every machine. Used for custom redaction patterns, the built-in detectors and the
 * match rules of price sources.
 */
public final class ReadLimitedText implements CharSequence {

    /** The pattern used up its read budget on the text. */
    public static final class RanAway extends RuntimeException {
        RanAway() {
            super(null, null, false, false);
        }
    }

    private final CharSequence text;
    private final long[] readsLeft;

    /** {@code text} with {@code reads} character reads in all (its sub-sequences share them). */
    public ReadLimitedText(CharSequence text, long reads) {
        this(text, new long[] {reads});
    }

    private ReadLimitedText(CharSequence text, long[] readsLeft) {
        this.text = text;
        this.readsLeft = readsLeft;
    }

    @Override
    public char charAt(int index) {
        if (--readsLeft[0] < 0) {
            throw new RanAway();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new ReadLimitedText(text.subSequence(start, end), readsLeft);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
