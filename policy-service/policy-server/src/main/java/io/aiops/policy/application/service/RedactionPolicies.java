package io.aiops.policy.application.service;

import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.TextRedaction;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Resolves the redaction a workflow's texts get: its own setting, else its project's, else FULL. Each project has its
 * own mask key, derived from the service's mask secret (configured, or generated once and kept in the database), so a
 * worker holding one project's key learns nothing about another project's masks.
 */
public class RedactionPolicies {

  private static final String SECRET_NAME = "redaction-mask-secret";

  private final ProjectSettingsStore settings;
  private final Clock clock;
  private final byte[] configuredSecret;
  private volatile byte[] secret;

  /** @param configuredSecret the mask secret from configuration; empty to use the one kept in the database */
  public RedactionPolicies(ProjectSettingsStore settings, Clock clock, String configuredSecret) {
    this.settings = settings;
    this.clock = clock;
    this.configuredSecret =
        configuredSecret == null || configuredSecret.isBlank() ? null : configuredSecret.getBytes(StandardCharsets.UTF_8);
  }

  /** Call within a transaction. */
  public TextRedaction forWorkflow(String project, String bpmnProcessId) {
    RedactionSettings resolved =
        settings.redaction(project, bpmnProcessId).orElse(new RedactionSettings(RedactionMode.FULL, List.of()));
    String maskKey =
        resolved.mode() == RedactionMode.FULL ? null : Base64.getEncoder().encodeToString(maskKey(project));
    return new TextRedaction(resolved.mode(), resolved.customPatterns(), maskKey);
  }

  private byte[] maskKey(String project) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret(), "HmacSHA256"));
      return mac.doFinal(("mask-key:" + project).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private byte[] secret() {
    byte[] known = secret;
    if (known == null) {
      if (configuredSecret != null) {
        known = configuredSecret;
      } else {
        byte[] candidate = new byte[32];
        new SecureRandom().nextBytes(candidate);
        known = settings.secret(SECRET_NAME, candidate, clock.instant());
      }
      secret = known;
    }
    return known;
  }
}
