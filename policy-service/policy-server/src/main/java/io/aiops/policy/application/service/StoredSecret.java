package io.aiops.policy.application.service;

import io.aiops.policy.application.port.out.ProjectSettingsStore;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A service-wide secret: the configured one, or else one generated once and kept in the database (the first instance
 * to need it stores it, the others read that one). Keys are derived from it with HMAC-SHA256 and a label per use, so
 * a key handed out for one purpose or project tells nothing about another.
 */
final class StoredSecret {

    private final ProjectSettingsStore settings;
    private final Clock clock;
    private final String name;
    private final byte[] configured;
    private volatile byte[] secret;

    /** @param configured the secret from configuration; null or blank to use the one kept in the database */
    StoredSecret(ProjectSettingsStore settings, Clock clock, String name, String configured) {
        this.settings = settings;
        this.clock = clock;
        this.name = name;
        this.configured =
                configured == null || configured.isBlank() ? null : configured.getBytes(StandardCharsets.UTF_8);
    }

    /** HMAC-SHA256 of {@code label} under the secret. */
    byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret(), "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private byte[] secret() {
        byte[] known = secret;
        if (known == null) {
            if (configured != null) {
                known = configured;
            } else {
                byte[] candidate = new byte[32];
                new SecureRandom().nextBytes(candidate);
                known = settings.secret(name, candidate, clock.instant());
            }
            secret = known;
        }
        return known;
    }
}
