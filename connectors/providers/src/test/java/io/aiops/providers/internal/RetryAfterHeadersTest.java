package io.aiops.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterHeadersTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void parsesOpenAiResetDurations() {
        assertThat(RetryAfterHeaders.parseDuration("6s")).isEqualTo(Duration.ofSeconds(6));
        assertThat(RetryAfterHeaders.parseDuration("12ms")).isEqualTo(Duration.ofMillis(12));
        assertThat(RetryAfterHeaders.parseDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(RetryAfterHeaders.parseDuration("0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(RetryAfterHeaders.parseDuration("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
        assertThat(RetryAfterHeaders.parseDuration("6 s")).isNull();
        assertThat(RetryAfterHeaders.parseDuration("soon")).isNull();
        assertThat(RetryAfterHeaders.parseDuration("")).isNull();
    }

    @Test
    void retryAfterTakesSecondsOrAnHttpDate() {
        assertThat(RetryAfterHeaders.parseRetryAfter("7", CLOCK)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfterHeaders.parseRetryAfter("1.5", CLOCK)).isEqualTo(Duration.ofMillis(1500));
        assertThat(RetryAfterHeaders.parseRetryAfter("Thu, 26 Nov 2026 10:00:20 GMT", CLOCK))
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(RetryAfterHeaders.parseRetryAfter("Thu, 26 Nov 2026 09:00:00 GMT", CLOCK))
                .isZero();
        assertThat(RetryAfterHeaders.parseRetryAfter("later", CLOCK)).isNull();
    }

    @Test
    void explicitRetryAfterWinsOverRateLimitResets() {
        assertThat(RetryAfterHeaders.fromHeaders(
                        headers(Map.of("retry-after", "3", "x-ratelimit-reset-requests", "1m")), CLOCK))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryAfterHeaders.fromHeaders(headers(Map.of("retry-after-ms", "250", "retry-after", "3")), CLOCK))
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void withoutRetryAfterTheExhaustedLimitsResetCounts() {
        assertThat(RetryAfterHeaders.fromHeaders(
                        headers(Map.of(
                                "x-ratelimit-remaining-tokens",
                                "0",
                                "x-ratelimit-reset-tokens",
                                "12ms",
                                "x-ratelimit-remaining-requests",
                                "99",
                                "x-ratelimit-reset-requests",
                                "6s")),
                        CLOCK))
                .isEqualTo(Duration.ofMillis(12));
        assertThat(RetryAfterHeaders.fromHeaders(
                        headers(Map.of("x-ratelimit-reset-tokens", "12ms", "x-ratelimit-reset-requests", "1m30s")),
                        CLOCK))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(RetryAfterHeaders.fromHeaders(headers(Map.of()), CLOCK)).isNull();
    }

    private static HttpHeaders headers(Map<String, String> values) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        values.forEach((k, v) -> map.put(k, List.of(v)));
        return HttpHeaders.of(map, (k, v) -> true);
    }
}
