package io.aiops.policy.application.service;

import io.aiops.policy.api.OnPolicyUnavailable;
import io.aiops.policy.api.PolicyUnavailableSettings;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.RetentionSettings;
import io.aiops.policy.api.redaction.RedactionMode;
import io.aiops.policy.api.redaction.TextRedactor;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.ProjectSettingsUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.ProjectSettingsStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sets and reads a project's redaction (and its workflows' overrides), retention and what workers do when this
 * service is unavailable; every change is audited.
 */
public class ProjectSettingsService implements ProjectSettingsUseCase {

    private final ProjectSettingsStore settings;
    private final AuditRecorder audit;
    private final Clock clock;
    private final RedactionPolicies redactionPolicies;
    private final FailOpenPolicies failOpenPolicies;

    public ProjectSettingsService(
            ProjectSettingsStore settings,
            AuditRecorder audit,
            Clock clock,
            RedactionPolicies redactionPolicies,
            FailOpenPolicies failOpenPolicies) {
        this.failOpenPolicies = failOpenPolicies;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.redactionPolicies = redactionPolicies;
    }

    @Override
    @Transactional
    public RedactionSettings putRedaction(
            String project, String bpmnProcessId, RedactionSettings requested, ApiPrincipal actor) {
        ProjectAccess.require(actor, project, "project");
        if (requested == null) {
            throw RequestRejected.invalid(null, "redaction settings are required");
        }
        // mode and the number and length of patterns are the request's Bean Validation rules; here: do they compile?
        List<String> patterns = requested.customPatterns();
        for (int i = 0; i < patterns.size(); i++) {
            try {
                TextRedactor.compileCustom(patterns.get(i));
            } catch (IllegalArgumentException e) {
                throw RequestRejected.invalid(
                        "customPatterns[" + i + "]", "customPatterns[" + i + "]: " + e.getMessage());
            }
        }
        RedactionSettings after = new RedactionSettings(requested.mode(), patterns, requested.kinds());
        RedactionSettings before = settings.ownRedaction(project, bpmnProcessId).orElse(null);
        Instant now = clock.instant();
        redactionPolicies.redactionChanged();
        settings.putRedaction(project, bpmnProcessId, after, now);
        audit.policyChange(
                actor,
                project,
                bpmnProcessId == null ? "redaction" : "workflow-redaction",
                bpmnProcessId == null ? project : project + "/" + bpmnProcessId,
                before,
                after,
                now);
        return after;
    }

    @Override
    @Transactional(readOnly = true)
    public RedactionSettings getRedaction(String project, String bpmnProcessId, ApiPrincipal actor) {
        ProjectAccess.require(actor, project, "project");
        return settings.redaction(project, bpmnProcessId).orElse(new RedactionSettings(RedactionMode.FULL, List.of()));
    }

    @Override
    @Transactional
    public RetentionSettings putRetention(String project, RetentionSettings requested, ApiPrincipal actor) {
        ProjectAccess.require(actor, project, "project");
        if (requested == null) {
            throw RequestRejected.invalid(null, "retention settings are required");
        }
        // presence and range of retentionDays are the request's Bean Validation rules
        int days = requested.retentionDays();
        Integer before = settings.retentionDays(project).orElse(null);
        Instant now = clock.instant();
        settings.putRetention(project, days, now);
        audit.policyChange(
                actor,
                project,
                "retention",
                project,
                before == null ? null : new RetentionSettings(before),
                new RetentionSettings(days),
                now);
        return new RetentionSettings(days);
    }

    @Override
    @Transactional
    public PolicyUnavailableSettings putPolicyUnavailable(
            String project, PolicyUnavailableSettings requested, ApiPrincipal actor) {
        ProjectAccess.require(actor, project, "project");
        if (requested == null) {
            throw RequestRejected.invalid(null, "the onPolicyUnavailable setting is required");
        }
        OnPolicyUnavailable before = settings.onPolicyUnavailable(project).orElse(null);
        Instant now = clock.instant();
        failOpenPolicies.changed();
        settings.putOnPolicyUnavailable(project, requested.onPolicyUnavailable(), now);
        audit.policyChange(
                actor,
                project,
                "policy-unavailable",
                project,
                before == null ? null : new PolicyUnavailableSettings(before),
                requested,
                now);
        return requested;
    }

    @Override
    @Transactional(readOnly = true)
    public PolicyUnavailableSettings getPolicyUnavailable(String project, ApiPrincipal actor) {
        ProjectAccess.require(actor, project, "project");
        return new PolicyUnavailableSettings(
                settings.onPolicyUnavailable(project).orElse(OnPolicyUnavailable.RETRY));
    }

    @Override
    @Transactional(readOnly = true)
    public RetentionSettings getRetention(String project, ApiPrincipal actor) {
        ProjectAccess.require(actor, project, "project");
        return new RetentionSettings(settings.retentionDays(project).orElse(null));
    }
}
