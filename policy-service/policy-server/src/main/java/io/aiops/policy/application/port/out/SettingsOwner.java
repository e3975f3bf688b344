package io.aiops.policy.application.port.out;

/** Whose setting a row is: a project's own ({@code bpmnProcessId} null), or one of its workflows'. */
public record SettingsOwner(String project, String bpmnProcessId) {}
