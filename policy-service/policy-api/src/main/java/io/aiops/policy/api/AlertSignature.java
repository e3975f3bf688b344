package io.aiops.policy.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Aiops-Signature} header of an alert webhook post: {@code t=<unix seconds>,v1=<hex>}, {@code v1} being
 * HMAC-SHA256 under the project's signing key of {@code t + "." + body}; during a key rotation's overlap a second
 * {@code v1} made with the previous key follows. The server signs with {@link #header}; Java receivers check with
 * {@link #verify}, which accepts the post when any {@code v1} matches their key.
 */
public final class AlertSignature {

    public static final String HEADER = "X-Aiops-Signature";

    private AlertSignature() {}

    /** The header value signing {@code body} posted at {@code epochSecond} under {@code key} (the raw key bytes). */
    public static String header(byte[] key, long epochSecond, byte[] body) {
        return header(List.of(key), epochSecond, body);
    }

    /** The header with one {@code v1} per key, in the order given (the current key first). */
    public static String header(List<byte[]> keys, long epochSecond, byte[] body) {
        StringBuilder header = new StringBuilder("t=").append(epochSecond);
        for (byte[] key : keys) {
            header.append(",v1=").append(HexFormat.of().formatHex(sign(key, epochSecond, body)));
        }
        return header.toString();
    }

    /**
     * True when {@code header} signs exactly {@code body} under {@code base64Key} (an {@link AlertSigningKey#key()})
     * and its time is within {@code tolerance} of {@code now} (a replayed post is refused once it is older).
     */
    public static boolean verify(String base64Key, String header, byte[] body, Instant now, Duration tolerance) {
        if (header == null) {
            return false;
        }
        Long time = null;
        List<byte[]> given = new ArrayList<>();
        for (String part : header.split(",")) {
            String item = part.strip();
            try {
                if (item.startsWith("t=")) {
                    time = Long.parseLong(item.substring(2));
                } else if (item.startsWith("v1=")) {
                    given.add(HexFormat.of().parseHex(item.substring(3)));
                }
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        if (time == null || given.isEmpty()) {
            return false;
        }
        try {
            if (Duration.between(Instant.ofEpochSecond(time), now).abs().compareTo(tolerance) > 0) {
                return false;
            }
        } catch (java.time.DateTimeException | ArithmeticException outOfRange) {
            return false;
        }
        byte[] expected = sign(Base64.getDecoder().decode(base64Key), time, body);
        boolean matched = false;
        for (byte[] signature : given) {
            // every value is compared, in constant time each: the answer's timing does not say which one matched
            matched |= MessageDigest.isEqual(signature, expected);
        }
        return matched;
    }

    private static byte[] sign(byte[] key, long time, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((time + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
