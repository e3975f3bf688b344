package io.aiops.policy.application.service;

import io.aiops.policy.api.AlertSignature;
import io.aiops.policy.api.AlertSigningKey;
import io.aiops.policy.application.port.in.AlertSigningUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import io.aiops.policy.application.port.out.ProjectSettingsStore.SigningGeneration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signs webhook alert posts so a receiver can tell them from forgeries and replays: HMAC-SHA256 of
 * {@code <unix seconds>.<body>} under the key of the alert's project, derived from the service's alert-signing
 * secret (configured, or generated once and kept in the database). A project's key verifies only its own alerts.
 */
public class AlertSigningKeys implements AlertSigningUseCase {

    private static final String SECRET_NAME = "alert-signing-secret";

    private final StoredSecret secret;
    private final ProjectSettingsStore settings;
    private final AuditRecorder audit;
    private final Clock clock;
    private final Duration overlap;

    /**
     * @param configuredSecret the signing secret from configuration; empty to use the one kept in the database
     * @param audit where each read and rotation of a key is recorded
     * @param overlap how long after a rotation posts are signed with the previous key too
     */
    public AlertSigningKeys(
            ProjectSettingsStore settings,
            Clock clock,
            String configuredSecret,
            AuditRecorder audit,
            Duration overlap) {
        this.secret = new StoredSecret(settings, clock, SECRET_NAME, configuredSecret);
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.overlap = overlap;
    }

    /** Hands out the key, and records in the project's audit chain who read it (whoever holds it can forge alerts). */
    @Override
    @Transactional
    public AlertSigningKey signingKey(String project, ApiPrincipal actor) {
        String wanted = project == null || project.isBlank() ? null : project.strip();
        ProjectAccess.require(actor, wanted, "project");
        audit.secretRead(actor, wanted, "alert-signing-key", wanted == null ? "organisation" : wanted, clock.instant());
        return keyOf(wanted, generationOf(wanted));
    }

    @Override
    @Transactional
    public AlertSigningKey rotate(String project, ApiPrincipal actor) {
        String wanted = project == null || project.isBlank() ? null : project.strip();
        ProjectAccess.require(actor, wanted, "project");
        Instant now = clock.instant();
        SigningGeneration before = generationOf(wanted);
        SigningGeneration after = settings.rotateSigningKey(wanted, now);
        // the generations, never key material
        audit.policyChange(
                actor,
                wanted,
                "alert-signing-key",
                wanted == null ? "organisation" : wanted,
                Map.of("generation", before.generation()),
                Map.of("generation", after.generation()),
                now);
        return keyOf(wanted, after);
    }

    /**
     * The {@link AlertSignature#HEADER} value for {@code body} posted at {@code epochSecond} for an alert of
     * {@code project}: signed with the current key, and with the previous one too within the overlap of a rotation.
     */
    public String signature(String project, long epochSecond, byte[] body) {
        SigningGeneration current = generationOf(project);
        List<byte[]> keys = new ArrayList<>();
        keys.add(keyFor(project, current.generation()));
        if (inOverlap(current)) {
            keys.add(keyFor(project, current.generation() - 1));
        }
        return AlertSignature.header(keys, epochSecond, body);
    }

    private AlertSigningKey keyOf(String project, SigningGeneration current) {
        boolean overlapping = inOverlap(current);
        return new AlertSigningKey(
                project,
                "HMAC-SHA256",
                encoded(keyFor(project, current.generation())),
                AlertSignature.HEADER,
                "<t>.<body>",
                current.generation(),
                overlapping ? encoded(keyFor(project, current.generation() - 1)) : null,
                overlapping ? current.rotatedAt().plus(overlap) : null);
    }

    private boolean inOverlap(SigningGeneration current) {
        return current.generation() > 0
                && clock.instant().isBefore(current.rotatedAt().plus(overlap));
    }

    private SigningGeneration generationOf(String project) {
        return settings.signingGeneration(project).orElse(new SigningGeneration(0, Instant.EPOCH));
    }

    private static String encoded(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    /** Generation 0 is the key as first derived; each rotation derives a new one. */
    private byte[] keyFor(String project, int generation) {
        String label = project == null ? "alert-webhook-organisation" : "alert-webhook-project:" + project;
        return secret.derive(generation == 0 ? label : label + "#" + generation);
    }
}
