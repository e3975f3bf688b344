package io.aiops.policy.domain;

import java.math.BigDecimal;

/** USD amounts as exact decimals: the scale the ledger stores and the form the API shows. */
public final class Money {

    /** Decimal places the database keeps for prices and amounts ({@code numeric(20, 12)}). */
    public static final int SCALE = 12;

    /** Largest number of digits before the decimal point that {@code numeric(20, 12)} holds. */
    public static final int INTEGER_DIGITS = 8;

    private Money() {}

    /** True when the amount can be stored without rounding. */
    public static boolean fitsLedger(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() <= SCALE && stripped.precision() - stripped.scale() <= INTEGER_DIGITS;
    }

    /** The amount without trailing zeros, so 0.000002500000 reads 0.0000025 and equals what was sent. */
    public static BigDecimal shown(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
