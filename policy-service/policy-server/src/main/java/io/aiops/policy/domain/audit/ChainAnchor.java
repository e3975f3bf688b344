package io.aiops.policy.domain.audit;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A project's chain head as published outside the database: entry {@code seq} had hash {@code hash} at
 * {@code anchoredAt}. Signed with HMAC-SHA256 under a key the database does not hold ({@code keyId} names the key
 * by the start of its SHA-256), so a database owner who rewrites the chain can neither change an anchor nor forge a
 * new one; the next verification finds the entry that contradicts it.
 */
public record ChainAnchor(String project, long seq, String hash, Instant anchoredAt, String keyId, String signature) {

    /** Signs the head of {@code project} under {@code key}. */
    public static ChainAnchor sign(String project, long seq, String hash, Instant anchoredAt, byte[] key) {
        return new ChainAnchor(project, seq, hash, anchoredAt, keyId(key), mac(key, project, seq, hash, anchoredAt));
    }

    /** The first 16 hex digits of the key's SHA-256: tells which key signed an anchor without revealing it. */
    public static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether {@code key} signed this anchor (compared in constant time). */
    public boolean signedWith(byte[] key) {
        if (signature == null || !keyId(key).equals(keyId)) {
            return false;
        }
        return MessageDigest.isEqual(
                signature.getBytes(StandardCharsets.US_ASCII),
                mac(key, project, seq, hash, anchoredAt).getBytes(StandardCharsets.US_ASCII));
    }

    private static String mac(byte[] key, String project, long seq, String hash, Instant anchoredAt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String message = "aiops-audit-anchor\n" + project + "\n" + seq + "\n" + hash + "\n" + anchoredAt;
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
