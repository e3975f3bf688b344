package io.aiops.policy.domain;

import java.util.Comparator;

/**
 * The one order budget window rows are locked in, in Java and in SQL alike: budget ids by code point, which is the
 * order of their UTF-8 bytes and so the order PostgreSQL's {@code COLLATE "C"} sorts them in. {@link String#compareTo}
 * compares UTF-16 code units instead and puts ids with characters above U+FFFF before those with U+E000..U+FFFF, the
 * opposite of the database: two transactions locking in the two orders could wait for each other.
 */
public final class LockOrder {

    /** Budget ids by code point. */
    public static final Comparator<String> BUDGET_IDS = LockOrder::compareCodePoints;

    private LockOrder() {}

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
