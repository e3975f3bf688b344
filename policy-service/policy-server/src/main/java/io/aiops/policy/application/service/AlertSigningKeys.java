package io.aiops.policy.application.service;

import io.aiops.policy.api.AlertSignature;
import io.aiops.policy.api.AlertSigningKey;
import io.aiops.policy.application.port.in.AlertSigningUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import java.time.Clock;
import java.util.Base64;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signs webhook alert posts so a receiver can tell them from forgeries and replays: HMAC-SHA256 of
 * {@code <unix seconds>.<body>} under the key of the alert's project, derived from the service's alert-signing
 * secret (configured, or generated once and kept in the database). A project's key verifies only its own alerts.
 */
public class AlertSigningKeys implements AlertSigningUseCase {

  private static final String SECRET_NAME = "alert-signing-secret";

  private final StoredSecret secret;
  private final AuditRecorder audit;
  private final Clock clock;

  /**
   * @param configuredSecret the signing secret from configuration; empty to use the one kept in the database
   * @param audit where each read of a key is recorded
   */
  public AlertSigningKeys(
      ProjectSettingsStore settings, Clock clock, String configuredSecret, AuditRecorder audit) {
    this.secret = new StoredSecret(settings, clock, SECRET_NAME, configuredSecret);
    this.audit = audit;
    this.clock = clock;
  }

  /** Hands out the key, and records in the project's audit chain who read it (whoever holds it can forge alerts). */
  @Override
  @Transactional
  public AlertSigningKey signingKey(String project, ApiPrincipal actor) {
    String wanted = project == null || project.isBlank() ? null : project.strip();
    ProjectAccess.require(actor, wanted, "project");
    audit.secretRead(actor, wanted, "alert-signing-key", wanted == null ? "organisation" : wanted, clock.instant());
    return new AlertSigningKey(wanted, "HMAC-SHA256", Base64.getEncoder().encodeToString(keyFor(wanted)),
        AlertSignature.HEADER, "<t>.<body>");
  }

  /** The {@link AlertSignature#HEADER} value for {@code body} posted at {@code epochSecond} for an alert of {@code project}. */
  public String signature(String project, long epochSecond, byte[] body) {
    return AlertSignature.header(keyFor(project), epochSecond, body);
  }

  private byte[] keyFor(String project) {
    return secret.derive(project == null ? "alert-webhook-organisation" : "alert-webhook-project:" + project);
  }
}
