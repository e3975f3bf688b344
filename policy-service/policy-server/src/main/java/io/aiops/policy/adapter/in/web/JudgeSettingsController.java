package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.JudgeSettings;
import io.aiops.policy.api.Name;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.JudgeSettingsUseCase;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** LLM-as-judge settings of a project and its workflows; workers read the ones that apply. */
@RestController
@RequestMapping("/api/v1/projects/{project}")
class JudgeSettingsController {

    private final JudgeSettingsUseCase judges;

    JudgeSettingsController(JudgeSettingsUseCase judges) {
        this.judges = judges;
    }

    @PutMapping("/judge")
    JudgeSettings put(
            @PathVariable @Name String project,
            @Valid @RequestBody JudgeSettings settings,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return judges.put(project, null, settings, principal);
    }

    @GetMapping("/judge")
    JudgeSettings get(
            @PathVariable @Name String project,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return judges.get(project, null, principal);
    }

    @PutMapping("/workflows/{bpmnProcessId}/judge")
    JudgeSettings putWorkflow(
            @PathVariable @Name String project,
            @PathVariable @Name String bpmnProcessId,
            @Valid @RequestBody JudgeSettings settings,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return judges.put(project, bpmnProcessId, settings, principal);
    }

    @GetMapping("/workflows/{bpmnProcessId}/judge")
    JudgeSettings getWorkflow(
            @PathVariable @Name String project,
            @PathVariable @Name String bpmnProcessId,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return judges.get(project, bpmnProcessId, principal);
    }

    /** What applies to a call of the workflow (its own settings, else the project's): what workers read. */
    @GetMapping("/judge/effective")
    JudgeSettings effective(
            @PathVariable @Name String project,
            @RequestParam(required = false) @Name String bpmnProcessId,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return judges.effective(project, bpmnProcessId, principal);
    }
}
