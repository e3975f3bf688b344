package io.aiops.providers.internal;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads how long a provider asks callers to wait: {@code retry-after-ms}, {@code retry-after} (seconds or an HTTP
 * date), else OpenAI's {@code x-ratelimit-reset-requests} / {@code x-ratelimit-reset-tokens} (durations such as
 * {@code 6s}, {@code 12ms}, {@code 1m30s}) for the limit that is exhausted, or Anthropic's
 * {@code anthropic-ratelimit-<limit>-reset} (an RFC 3339 instant) for the limit whose remaining count is 0.
 */
public final class RetryAfterHeaders {

    private static final String[] ANTHROPIC_LIMITS = {"requests", "tokens", "input-tokens", "output-tokens"};
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

    private RetryAfterHeaders() {}

    /** The wait the headers ask for, or null when they name none. */
    public static Duration fromHeaders(HttpHeaders headers, Clock clock) {
        Optional<Duration> millis = headers.firstValue("retry-after-ms").map(RetryAfterHeaders::parseMillis);
        if (millis.isPresent() && millis.get() != null) {
            return millis.get();
        }
        Optional<String> retryAfter = headers.firstValue("retry-after");
        if (retryAfter.isPresent()) {
            Duration parsed = parseRetryAfter(retryAfter.get(), clock);
            if (parsed != null) {
                return parsed;
            }
        }
        Duration anthropic = fromAnthropicLimits(headers, clock);
        if (anthropic != null) {
            return anthropic;
        }
        Duration requests = headers.firstValue("x-ratelimit-reset-requests")
                .map(RetryAfterHeaders::parseDuration)
                .orElse(null);
        Duration tokens = headers.firstValue("x-ratelimit-reset-tokens")
                .map(RetryAfterHeaders::parseDuration)
                .orElse(null);
        boolean requestsExhausted = headers.firstValue("x-ratelimit-remaining-requests")
                .filter("0"::equals)
                .isPresent();
        boolean tokensExhausted = headers.firstValue("x-ratelimit-remaining-tokens")
                .filter("0"::equals)
                .isPresent();
        if (requestsExhausted || tokensExhausted) {
            return longer(requestsExhausted ? requests : null, tokensExhausted ? tokens : null);
        }
        return longer(requests, tokens);
    }

    /**
     * The longest wait until an exhausted Anthropic limit resets ({@code anthropic-ratelimit-<limit>-remaining: 0}
     * with its {@code -reset} instant), or null when no limit is exhausted or its reset is unreadable.
     */
    static Duration fromAnthropicLimits(HttpHeaders headers, Clock clock) {
        Duration longest = null;
        for (String limit : ANTHROPIC_LIMITS) {
            String prefix = "anthropic-ratelimit-" + limit + "-";
            if (headers.firstValue(prefix + "remaining")
                    .filter(v -> v.trim().equals("0"))
                    .isEmpty()) {
                continue;
            }
            Duration wait = headers.firstValue(prefix + "reset")
                    .map(v -> untilInstant(v, clock))
                    .orElse(null);
            longest = longer(longest, wait);
        }
        return longest;
    }

    private static Duration untilInstant(String rfc3339, Clock clock) {
        try {
            Duration until = Duration.between(
                    clock.instant(), OffsetDateTime.parse(rfc3339.trim()).toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code Retry-After} as delta seconds (decimals accepted) or an RFC 1123 date; null when unreadable. */
    public static Duration parseRetryAfter(String value, Clock clock) {
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            return seconds < 0 ? null : Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(
                        clock.instant(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** A Go-style duration as OpenAI sends it ({@code 6s}, {@code 12ms}, {@code 1m30s}, {@code 0.5s}); null if not. */
    public static Duration parseDuration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Matcher m = DURATION_PART.matcher(v);
        int consumed = 0;
        double nanos = 0;
        while (m.find()) {
            if (m.start() != consumed) {
                return null;
            }
            double amount = Double.parseDouble(m.group(1));
            nanos += amount
                    * switch (m.group(2)) {
                        case "h" -> 3_600_000_000_000d;
                        case "m" -> 60_000_000_000d;
                        case "s" -> 1_000_000_000d;
                        case "ms" -> 1_000_000d;
                        case "us", "µs" -> 1_000d;
                        default -> 1d;
                    };
            consumed = m.end();
        }
        return consumed == v.length() && consumed > 0 ? Duration.ofNanos(Math.round(nanos)) : null;
    }

    private static Duration parseMillis(String value) {
        try {
            double ms = Double.parseDouble(value.trim());
            return ms < 0 ? null : Duration.ofNanos(Math.round(ms * 1_000_000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration longer(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}
