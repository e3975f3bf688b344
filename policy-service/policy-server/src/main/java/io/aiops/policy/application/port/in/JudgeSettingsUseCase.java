package io.aiops.policy.application.port.in;

import io.aiops.policy.api.JudgeSettings;

/** LLM-as-judge settings per project and workflow. */
public interface JudgeSettingsUseCase {

    /** Sets the judge of the project ({@code bpmnProcessId} null) or of one of its workflows. */
    JudgeSettings put(String project, String bpmnProcessId, JudgeSettings settings, ApiPrincipal actor);

    /** The settings stored for the project or workflow itself. */
    JudgeSettings get(String project, String bpmnProcessId, ApiPrincipal actor);

    /** The settings that apply to a call of the workflow: its own, else the project's. */
    JudgeSettings effective(String project, String bpmnProcessId, ApiPrincipal actor);
}
