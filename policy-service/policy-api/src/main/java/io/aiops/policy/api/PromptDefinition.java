package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_TEXT_CHARS;

import com.fasterxml.jackson.annotation.JsonCreator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What {@code PUT /api/v1/prompts/{name}} stores as the prompt's next version: its project (unset: every project),
 * the system prompt and the prompt template, whose {@code {{variable}}} placeholders the worker fills from the AI
 * task's prompt variables. {@code labels} (e.g. {@code production}) are moved to the version stored. {@code name} may
 * be left out of a PUT (the path names the prompt); a policy bundle names each prompt with it.
 */
public record PromptDefinition(
        @Name String name,
        @Name String project,
        @Size(max = MAX_TEXT_CHARS) String systemPrompt,
        @NotBlank @Size(max = MAX_TEXT_CHARS) String template,
        @Size(max = 20) List<@NotBlank @Name String> labels) {

    @JsonCreator
    public PromptDefinition {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** A definition for {@code PUT /api/v1/prompts/{name}}, whose path names the prompt. */
    public PromptDefinition(String project, String systemPrompt, String template, List<String> labels) {
        this(null, project, systemPrompt, template, labels);
    }
}
