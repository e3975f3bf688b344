package io.aiops.policy.domain.prompt;

import java.time.Instant;

/** One version of a prompt as the registry keeps it: written once, never changed. */
public record StoredPrompt(
        String name,
        int version,
        String project,
        String systemPrompt,
        String template,
        Instant createdAt,
        String createdBy) {

    /** True when this version says the same as a definition with these texts and project. */
    public boolean saysTheSame(String otherProject, String otherSystemPrompt, String otherTemplate) {
        return java.util.Objects.equals(project, otherProject)
                && java.util.Objects.equals(systemPrompt, otherSystemPrompt)
                && template.equals(otherTemplate);
    }
}
