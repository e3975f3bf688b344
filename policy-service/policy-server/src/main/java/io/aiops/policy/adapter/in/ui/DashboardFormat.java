package io.aiops.policy.adapter.in.ui;

import io.aiops.policy.domain.report.LatencyHistogram;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.OptionalLong;
import org.springframework.stereotype.Component;

/**
 * How the pages write figures, used from the templates as {@code @fmt}: money in US dollars to the micro-dollar
 * (the ledger's figures rounded half-even to 6 decimals), counts with thousands separators, times in UTC.
 */
@Component("fmt")
class DashboardFormat {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** {@code $1,234.567890}; negative amounts as {@code -$0.100000}. */
    public String usd(BigDecimal amount) {
        if (amount == null) {
            return "–";
        }
        BigDecimal micro = amount.setScale(6, RoundingMode.HALF_EVEN);
        return (micro.signum() < 0 ? "-$" : "$") + money().format(micro.abs());
    }

    /** A change, always signed: {@code +$1.000000}. */
    public String signedUsd(BigDecimal amount) {
        return amount != null && amount.signum() >= 0 ? "+" + usd(amount) : usd(amount);
    }

    public String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code part / whole} as a percentage with one decimal, or a dash without a whole. */
    public String percent(long part, long whole) {
        if (whole == 0) {
            return "–";
        }
        return BigDecimal.valueOf(part)
                        .multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP)
                        .toPlainString()
                + " %";
    }

    /** A fraction 0..1 as a percentage with one decimal. */
    public String fraction(BigDecimal fraction) {
        return fraction == null
                ? "–"
                : fraction.movePointRight(2).setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
    }

    /** A latency percentile from the rollups' histogram: {@code 1,234 ms}, {@code > 60,000 ms} past the last bucket. */
    public String percentile(LatencyHistogram histogram, double quantile) {
        OptionalLong value = histogram.percentile(quantile);
        if (value.isEmpty()) {
            return "–";
        }
        return (histogram.beyondLastBound(quantile) ? "> " : "") + count(value.getAsLong()) + " ms";
    }

    public String time(Instant instant) {
        return instant == null ? "–" : TIME.format(instant);
    }

    /** The end of a [from, to) range of whole days, as the last day it includes. */
    public String lastDay(Instant exclusiveEnd) {
        return DateTimeFormatter.ISO_LOCAL_DATE.format(
                exclusiveEnd.minusSeconds(1).atOffset(ZoneOffset.UTC));
    }

    public String day(Instant instant) {
        return DateTimeFormatter.ISO_LOCAL_DATE.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static DecimalFormat money() {
        DecimalFormat format = new DecimalFormat("#,##0.000000", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setParseBigDecimal(true);
        format.setRoundingMode(RoundingMode.HALF_EVEN);
        return format;
    }
}
