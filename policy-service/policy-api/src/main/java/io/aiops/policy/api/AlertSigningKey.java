package io.aiops.policy.api;

import java.time.Instant;

/**
 * The key a webhook receiver checks alert posts with. Every webhook post carries
 * {@code X-Aiops-Signature: t=<unix seconds>,v1=<hex>}, where {@code v1} is HMAC-SHA256 under {@code key} (the
 * base64-decoded bytes) of {@code t + "." + body} (the body's exact bytes). One key per project; {@code project} null
 * is the key of organisation-wide rules' alerts. After a rotation, until {@code previousValidUntil}, posts carry a
 * second {@code v1} made with {@code previousKey}, so receivers still holding the old key keep verifying while they
 * switch; {@code generation} counts the rotations.
 */
public record AlertSigningKey(
        String project,
        String algorithm,
        String key,
        String header,
        String signedContent,
        int generation,
        String previousKey,
        Instant previousValidUntil) {}
