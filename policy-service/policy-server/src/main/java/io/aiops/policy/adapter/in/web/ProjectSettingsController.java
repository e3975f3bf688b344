package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.Name;
import io.aiops.policy.api.PolicyUnavailableSettings;
import io.aiops.policy.api.RedactionSettings;
import io.aiops.policy.api.RetentionSettings;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.ProjectSettingsUseCase;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Redaction (per project and per workflow), retention, and what workers do when this service is unavailable. */
@RestController
@RequestMapping("/api/v1/projects/{project}")
class ProjectSettingsController {

    private final ProjectSettingsUseCase settings;

    ProjectSettingsController(ProjectSettingsUseCase settings) {
        this.settings = settings;
    }

    @PutMapping("/redaction")
    RedactionSettings putRedaction(
            @PathVariable @Name String project,
            @Valid @RequestBody RedactionSettings body,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return settings.putRedaction(project, null, body, principal);
    }

    @GetMapping("/redaction")
    RedactionSettings getRedaction(
            @PathVariable @Name String project,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return settings.getRedaction(project, null, principal);
    }

    @PutMapping("/workflows/{bpmnProcessId}/redaction")
    RedactionSettings putWorkflowRedaction(
            @PathVariable @Name String project,
            @PathVariable @Name String bpmnProcessId,
            @Valid @RequestBody RedactionSettings body,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return settings.putRedaction(project, bpmnProcessId, body, principal);
    }

    @GetMapping("/workflows/{bpmnProcessId}/redaction")
    RedactionSettings getWorkflowRedaction(
            @PathVariable @Name String project,
            @PathVariable @Name String bpmnProcessId,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return settings.getRedaction(project, bpmnProcessId, principal);
    }

    @PutMapping("/retention")
    RetentionSettings putRetention(
            @PathVariable @Name String project,
            @Valid @RequestBody RetentionSettings body,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return settings.putRetention(project, body, principal);
    }

    @PutMapping("/policy-unavailable")
    PolicyUnavailableSettings putPolicyUnavailable(
            @PathVariable @Name String project,
            @Valid @RequestBody PolicyUnavailableSettings body,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return settings.putPolicyUnavailable(project, body, principal);
    }

    @GetMapping("/policy-unavailable")
    PolicyUnavailableSettings getPolicyUnavailable(
            @PathVariable @Name String project,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return settings.getPolicyUnavailable(project, principal);
    }

    @GetMapping("/retention")
    RetentionSettings getRetention(
            @PathVariable @Name String project,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return settings.getRetention(project, principal);
    }
}
