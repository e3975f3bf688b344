package io.aiops.policy.application.service;

import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.TextRedaction;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Resolves the redaction a workflow's texts get: its own setting, else its project's, else FULL. Each project has its
 * own mask key, derived from the service's mask secret (configured, or generated once and kept in the database), so a
 * worker holding one project's key learns nothing about another project's masks.
 */
public class RedactionPolicies {

    private static final String SECRET_NAME = "redaction-mask-secret";

    private final ProjectSettingsStore settings;
    private final StoredSecret secret;
    /** What {@link #forDecision} answered lately, per project and workflow. */
    private final RecentByKey<List<String>, TextRedaction> recent;

    /** @param configuredSecret the mask secret from configuration; empty to use the one kept in the database */
    public RedactionPolicies(ProjectSettingsStore settings, Clock clock, String configuredSecret) {
        this(settings, clock, configuredSecret, Duration.ZERO);
    }

    /**
     * @param decisionCacheTtl how long {@link #forDecision} reuses what it read (a change made on another instance
     *     reaches decisions here within this time; one made here, at once)
     */
    public RedactionPolicies(
            ProjectSettingsStore settings, Clock clock, String configuredSecret, Duration decisionCacheTtl) {
        this.settings = settings;
        this.secret = new StoredSecret(settings, clock, SECRET_NAME, configuredSecret);
        this.recent = new RecentByKey<>(clock, decisionCacheTtl);
    }

    /**
     * {@link #forWorkflow} as read at most the decision cache TTL ago: what a decision tells the worker. Only advice:
     * the outcome path applies the redaction in force when the texts arrive ({@link #forWorkflow}), so a stale answer
     * here never lets unredacted text be stored. Call within a transaction.
     */
    public TextRedaction forDecision(String project, String bpmnProcessId) {
        return recent.get(Arrays.asList(project, bpmnProcessId), () -> forWorkflow(project, bpmnProcessId));
    }

    /** Call when a redaction setting changed: decisions on this instance see it at once (again after the commit). */
    public void redactionChanged() {
        recent.changed();
    }

    /** Call within a transaction. */
    public TextRedaction forWorkflow(String project, String bpmnProcessId) {
        RedactionSettings resolved =
                settings.redaction(project, bpmnProcessId).orElse(new RedactionSettings(RedactionMode.FULL, List.of()));
        String maskKey = resolved.mode() == RedactionMode.FULL
                ? null
                : Base64.getEncoder().encodeToString(maskKey(project));
        List<String> kinds = resolved.kinds() == null
                ? null
                : resolved.kinds().stream().map(Enum::name).toList();
        return new TextRedaction(resolved.mode(), resolved.customPatterns(), kinds, maskKey);
    }

    private byte[] maskKey(String project) {
        return secret.derive("mask-key:" + project);
    }
}
