package io.aiops.policy.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A receiver's check of the signature header, against a vector computed outside Java (Python's hmac module). */
class AlertSignatureTest {

    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; // bytes 0..31
    private static final byte[] BODY = "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
    private static final String HEADER =
            "t=1700000000,v1=1803848d25a04b8b616a4ac430c0109a3b1c857b15c16b79cc9a7a3f73328a9a";
    private static final Instant SENT = Instant.ofEpochSecond(1_700_000_000L);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void theRightKeyBodyAndTimeVerify() {
        assertThat(AlertSignature.verify(KEY, HEADER, BODY, SENT.plusSeconds(30), FIVE_MINUTES))
                .isTrue();
        assertThat(AlertSignature.verify(KEY, HEADER, BODY, SENT.minusSeconds(30), FIVE_MINUTES))
                .isTrue();
    }

    @Test
    void aChangedBodyAnotherKeyOrAnotherTimeDoNot() {
        byte[] changed = "{\"text\":\"hI\"}".getBytes(StandardCharsets.UTF_8);
        String otherKey = "AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        assertThat(AlertSignature.verify(KEY, HEADER, changed, SENT, FIVE_MINUTES))
                .isFalse();
        assertThat(AlertSignature.verify(otherKey, HEADER, BODY, SENT, FIVE_MINUTES))
                .isFalse();
        // the same v1 claimed for another time
        assertThat(AlertSignature.verify(KEY, HEADER.replace("t=1700000000", "t=1700000001"), BODY, SENT, FIVE_MINUTES))
                .isFalse();
    }

    @Test
    void aReplayOlderThanTheToleranceAndMalformedHeadersAreRefused() {
        assertThat(AlertSignature.verify(
                        KEY, HEADER, BODY, SENT.plus(FIVE_MINUTES).plusSeconds(1), FIVE_MINUTES))
                .isFalse();
        assertThat(AlertSignature.verify(KEY, null, BODY, SENT, FIVE_MINUTES)).isFalse();
        assertThat(AlertSignature.verify(KEY, "v1=1803848d", BODY, SENT, FIVE_MINUTES))
                .isFalse();
        assertThat(AlertSignature.verify(KEY, "t=soon,v1=00", BODY, SENT, FIVE_MINUTES))
                .isFalse();
        assertThat(AlertSignature.verify(KEY, "t=1700000000,v1=zz", BODY, SENT, FIVE_MINUTES))
                .isFalse();
        assertThat(AlertSignature.verify(KEY, "t=9223372036854775807,v1=00", BODY, SENT, FIVE_MINUTES))
                .isFalse();
    }
}
