package io.aiops.policy.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Aiops-Signature} header of an alert webhook post: {@code t=<unix seconds>,v1=<hex>}, {@code v1} being
 * HMAC-SHA256 under the project's signing key of {@code t + "." + body}. The server signs with {@link #header}; Java
 * receivers check with {@link #verify}.
 */
public final class AlertSignature {

  public static final String HEADER = "X-Aiops-Signature";

  private AlertSignature() {}

  /** The header value signing {@code body} posted at {@code epochSecond} under {@code key} (the raw key bytes). */
  public static String header(byte[] key, long epochSecond, byte[] body) {
    return "t=" + epochSecond + ",v1=" + HexFormat.of().formatHex(sign(key, epochSecond, body));
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
    byte[] given = null;
    for (String part : header.split(",")) {
      String item = part.strip();
      try {
        if (item.startsWith("t=")) {
          time = Long.parseLong(item.substring(2));
        } else if (item.startsWith("v1=")) {
          given = HexFormat.of().parseHex(item.substring(3));
        }
      } catch (IllegalArgumentException malformed) {
        return false;
      }
    }
    if (time == null || given == null) {
      return false;
    }
    try {
      if (Duration.between(Instant.ofEpochSecond(time), now).abs().compareTo(tolerance) > 0) {
        return false;
      }
    } catch (java.time.DateTimeException | ArithmeticException outOfRange) {
      return false;
    }
    return MessageDigest.isEqual(given, sign(Base64.getDecoder().decode(base64Key), time, body));
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
