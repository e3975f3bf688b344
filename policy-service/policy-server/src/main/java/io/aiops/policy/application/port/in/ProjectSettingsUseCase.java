package io.aiops.policy.application.port.in;

import io.aiops.policy.api.PolicyUnavailableSettings;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.RetentionSettings;

/**
 * Settings of a project: redaction (per project, overridable per workflow), retention, and what workers do when the
 * policy service is unavailable.
 */
public interface ProjectSettingsUseCase {

    /** @param bpmnProcessId null for the project's default */
    RedactionSettings putRedaction(
            String project, String bpmnProcessId, RedactionSettings settings, ApiPrincipal actor);

    RedactionSettings getRedaction(String project, String bpmnProcessId, ApiPrincipal actor);

    RetentionSettings putRetention(String project, RetentionSettings settings, ApiPrincipal actor);

    RetentionSettings getRetention(String project, ApiPrincipal actor);

    PolicyUnavailableSettings putPolicyUnavailable(
            String project, PolicyUnavailableSettings settings, ApiPrincipal actor);

    PolicyUnavailableSettings getPolicyUnavailable(String project, ApiPrincipal actor);
}
