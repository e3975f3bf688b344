package io.aiops.connector.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.camunda.connector.generator.dsl.Property.FeelMode;
import io.camunda.connector.generator.java.annotation.TemplateProperty;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyType;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.Map;

/**
 * The input of one AI task as modelled in the diagram: who pays for it (project), what kind of task it is, the prompt
 * and the limits of the answer. Where to reach the policy service and the providers is host configuration, not input.
 */
// a plain job worker sees every process variable, not only the task's inputs
@JsonIgnoreProperties(ignoreUnknown = true)
public record AiTaskRequest(
        @NotBlank
        @TemplateProperty(
                group = "task",
                label = "Project",
                description = "Project or client the call is billed to; budgets and routing policies match on it",
                feel = FeelMode.optional)
        String project,

        @NotBlank
        @Pattern(
                regexp = "^[a-z][a-z0-9_-]{0,63}$",
                message = "must be a lower-case word such as classify, extract or generate")
        @TemplateProperty(
                group = "task",
                label = "Task kind",
                description =
                        "What the model is asked to do, e.g. classify, extract, generate; routing policies match on it",
                defaultValue = "classify",
                feel = FeelMode.optional)
        String taskKind,

        @TemplateProperty(
                group = "prompt",
                label = "System prompt",
                type = PropertyType.Text,
                optional = true,
                feel = FeelMode.optional,
                description = "Instructions that frame the task (optional)")
        String systemPrompt,

        @TemplateProperty(
                group = "prompt",
                label = "Prompt",
                type = PropertyType.Text,
                optional = true,
                feel = FeelMode.optional,
                description = "The text sent to the model; start with = to build it from process variables with FEEL."
                        + " Leave empty when the prompt comes from the registry (Prompt reference)")
        String prompt,

        @TemplateProperty(
                group = "model",
                label = "Model hint",
                optional = true,
                feel = FeelMode.optional,
                description = "A catalog model to prefer (the policy service decides; a retired model is ignored)")
        String modelHint,

        @Positive
        @Max(1_000_000)
        @TemplateProperty(
                group = "model",
                label = "Max output tokens",
                type = PropertyType.Number,
                defaultValue = "256",
                defaultValueType = TemplateProperty.DefaultValueType.Number,
                optional = true,
                feel = FeelMode.optional,
                description = "Upper bound of the answer length; the budget reservation is sized with it")
        Integer maxOutputTokens,

        @PositiveOrZero
        @TemplateProperty(
                group = "model",
                label = "Estimated input tokens",
                type = PropertyType.Number,
                optional = true,
                feel = FeelMode.optional,
                description = "Leave empty to estimate from the prompt length (about four characters per token)")
        Integer estimatedInputTokens,

        @TemplateProperty(
                group = "structuredOutput",
                label = "JSON schema",
                type = PropertyType.Text,
                optional = true,
                feel = FeelMode.optional,
                description =
                        "When set, the model is asked for JSON conforming to this schema and the answer is parsed into 'json'")
        Object jsonSchema,

        @TemplateProperty(
                group = "structuredOutput",
                label = "Tags",
                optional = true,
                feel = FeelMode.required,
                description = "FEEL context of labels recorded with the call, e.g. ={team: \"support\"}")
        Map<String, String> tags,

        @Pattern(
                regexp = "^PT(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?$",
                message = "must be an ISO-8601 duration in hours, minutes and seconds, such as PT2M or PT30S")
        @TemplateProperty(
                group = "model",
                label = "Time limit",
                optional = true,
                feel = FeelMode.optional,
                description =
                        "The longest the whole task may take, every candidate model included (ISO-8601, e.g. PT2M)."
                                + " Keep it below the job timeout, so Zeebe never hands the job to a second worker while this one still"
                                + " calls models")
        String timeLimit,

        @TemplateProperty(
                group = "quality",
                label = "Categories",
                optional = true,
                feel = FeelMode.optional,
                description =
                        "For classification: the answers allowed, comma-separated (billing, technical, other) or a FEEL"
                                + " list. The result's 'category' is the one the answer names; the category_valid check"
                                + " fails when it names none")
        Object categories,

        @PositiveOrZero
        @TemplateProperty(
                group = "quality",
                label = "Minimum answer length",
                type = PropertyType.Number,
                optional = true,
                feel = FeelMode.optional,
                description = "Fewest characters a good answer has (the length_ok check)")
        Integer minAnswerChars,

        @Positive
        @TemplateProperty(
                group = "quality",
                label = "Maximum answer length",
                type = PropertyType.Number,
                optional = true,
                feel = FeelMode.optional,
                description = "Most characters a good answer has (the length_ok check)")
        Integer maxAnswerChars,

        @Pattern(
                regexp = "^\\s*([a-z_]+\\s*(,\\s*[a-z_]+\\s*)*)?$",
                message = "must be check names separated by commas, such as schema_valid, not_refused, or all")
        @TemplateProperty(
                group = "quality",
                label = "Quality gate",
                optional = true,
                feel = FeelMode.optional,
                description = "Checks an answer must pass, comma-separated (json_valid, schema_valid, category_valid,"
                        + " not_empty, not_truncated, not_refused, length_ok) or 'all'. An answer that fails is paid"
                        + " for and recorded, and the next candidate model is tried; when none passes, the task"
                        + " raises AI_QUALITY_GATE_FAILED")
        String qualityGate,

        @Pattern(
                regexp = "^[^@\\s]+(@[A-Za-z0-9_.-]+)?$",
                message = "must be a prompt name, name@version or name@label, such as classify-ticket@production")
        @TemplateProperty(
                group = "prompt",
                label = "Prompt reference",
                optional = true,
                feel = FeelMode.optional,
                exampleValue = "classify-ticket@production",
                description = "A prompt of the registry: name (latest version), name@3 (that version) or"
                        + " name@production (the version the label points at). Its system prompt and template"
                        + " replace the ones above; the call is recorded against the version used")
        String promptRef,

        @TemplateProperty(
                group = "prompt",
                label = "Prompt variables",
                optional = true,
                feel = FeelMode.required,
                exampleValue = "={subject: subject, body: body}",
                description = "FEEL context whose entries fill the template's {{name}} placeholders")
        Map<String, Object> promptVariables) {

    public AiTaskRequest {
        // the template's default; a static constant here would become a template property
        maxOutputTokens = maxOutputTokens == null ? 256 : maxOutputTokens;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        promptVariables = promptVariables == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(promptVariables));
    }

    /** Exactly one of the prompt and the prompt reference is given (the rule Bean Validation checks). */
    @JsonIgnore
    @AssertTrue(message = "give a prompt or a prompt reference (promptRef), exactly one of them")
    public boolean isPromptOrReference() {
        boolean prompt = this.prompt != null && !this.prompt.isBlank();
        boolean reference = promptRef != null && !promptRef.isBlank();
        return prompt ^ reference;
    }

    /** This task with the prompt texts the registry's version gives (rendered), in place of its own. */
    public AiTaskRequest withPrompt(String newSystemPrompt, String newPrompt) {
        return new AiTaskRequest(
                project,
                taskKind,
                newSystemPrompt,
                newPrompt,
                modelHint,
                maxOutputTokens,
                estimatedInputTokens,
                jsonSchema,
                tags,
                timeLimit,
                categories,
                minAnswerChars,
                maxAnswerChars,
                qualityGate,
                promptRef,
                promptVariables);
    }
}
