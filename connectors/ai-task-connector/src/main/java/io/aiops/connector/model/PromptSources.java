package io.aiops.connector.model;

/** Where an AI task's prompt comes from, as the template's Prompt source dropdown says. */
public final class PromptSources {

    /** The prompt is written on the task (Prompt, System prompt). */
    public static final String INLINE = "inline";

    /** The prompt is a version of the policy service's registry (Prompt reference, Prompt variables). */
    public static final String REFERENCE = "reference";

    private PromptSources() {}
}
