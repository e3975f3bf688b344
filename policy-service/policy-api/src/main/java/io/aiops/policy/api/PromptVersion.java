package io.aiops.policy.api;

import java.time.Instant;
import java.util.List;

/**
 * One immutable version of a prompt: what it says, the variables its template needs, the labels now pointing at it,
 * and who created it when.
 */
public record PromptVersion(
        String name,
        int version,
        String project,
        String systemPrompt,
        String template,
        List<String> variables,
        List<String> labels,
        Instant createdAt,
        String createdBy) {

    public PromptVersion {
        variables = variables == null ? List.of() : List.copyOf(variables);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** {@code name@version}, as calls record it. */
    public String ref() {
        return name + "@" + version;
    }
}
