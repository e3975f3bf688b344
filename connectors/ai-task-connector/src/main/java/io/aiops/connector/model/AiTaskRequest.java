package io.aiops.connector.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.camunda.connector.generator.dsl.Property.FeelMode;
import io.camunda.connector.generator.java.annotation.TemplateProperty;
import io.camunda.connector.generator.java.annotation.TemplateProperty.DropdownPropertyChoice;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyCondition;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyConstraints;
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
                description = "Project or client the call is billed to",
                tooltip = "Budgets, routing policies, prices and reports are kept per project. Use the same name the"
                        + " policy service knows, e.g. support or client-acme; a FEEL expression such as"
                        + " =customer.project works too.",
                exampleValue = "support",
                feel = FeelMode.optional)
        String project,

        @NotBlank
        @Pattern(
                regexp = "^[a-z][a-z0-9_-]{0,63}$",
                message = "must be a lower-case word such as classify, extract or generate")
        @TemplateProperty(
                group = "task",
                label = "Task kind",
                type = PropertyType.Dropdown,
                choices = {
                    @DropdownPropertyChoice(value = TaskKinds.CLASSIFY, label = "Classify: pick one category"),
                    @DropdownPropertyChoice(value = TaskKinds.EXTRACT, label = "Extract: JSON by a schema"),
                    @DropdownPropertyChoice(value = TaskKinds.GENERATE, label = "Generate: write a text"),
                    @DropdownPropertyChoice(value = TaskKinds.SUMMARISE, label = "Summarise: shorten a text"),
                    @DropdownPropertyChoice(value = TaskKinds.CUSTOM, label = "Custom: any other task")
                },
                description = "What the model is asked to do; routing policies match on it",
                tooltip = "Classify reads the answer as one of the declared categories; extract parses it as JSON"
                        + " checked against a schema; generate and summarise check its length; custom offers every"
                        + " check. The kind is sent to the policy service, whose routing policies can pick models"
                        + " per kind.",
                defaultValue = TaskKinds.CLASSIFY)
        String taskKind,

        @Pattern(
                regexp = "^([a-z][a-z0-9_-]{0,63})?$",
                message = "must be a lower-case word such as translate or answer-question")
        @TemplateProperty(
                group = "task",
                label = "Custom task kind",
                optional = true,
                feel = FeelMode.optional,
                condition = @PropertyCondition(property = "taskKind", equals = TaskKinds.CUSTOM),
                description = "The task kind routing policies see, in place of custom (optional)",
                tooltip = "A lower-case word such as translate. Routing policies written for that kind then apply to"
                        + " this task; left empty, the policy service sees the kind custom.",
                exampleValue = "translate")
        String customTaskKind,

        @TemplateProperty(
                group = "prompt",
                label = "Prompt source",
                type = PropertyType.Dropdown,
                optional = true,
                choices = {
                    @DropdownPropertyChoice(value = PromptSources.INLINE, label = "Written here"),
                    @DropdownPropertyChoice(value = PromptSources.REFERENCE, label = "Prompt registry")
                },
                defaultValue = PromptSources.INLINE,
                description = "Write the prompt here, or use a versioned prompt of the registry",
                tooltip = "A prompt written here travels with the diagram. A registry prompt is versioned in the policy"
                        + " service, can be moved by label (production, staging) without redeploying, and its cost and"
                        + " quality are reported per version.")
        String promptSource,

        @TemplateProperty(
                group = "prompt",
                label = "System prompt",
                type = PropertyType.Text,
                optional = true,
                feel = FeelMode.optional,
                condition = @PropertyCondition(property = "promptSource", equals = PromptSources.INLINE),
                description = "Instructions that frame the task (optional)",
                tooltip = "Sent as the system message: the role, the rules and the answer format. For a classification,"
                        + " list the categories and ask for the category name only.",
                exampleValue = "You sort customer tickets. Answer with one word: billing, technical or other.")
        String systemPrompt,

        @TemplateProperty(
                group = "prompt",
                label = "Prompt",
                type = PropertyType.Text,
                constraints = @PropertyConstraints(notEmpty = true),
                feel = FeelMode.optional,
                condition = @PropertyCondition(property = "promptSource", equals = PromptSources.INLINE),
                description = "The text sent to the model; start with = to build it from process variables with FEEL",
                tooltip = "A FEEL expression puts process data in, e.g. =\"Ticket: \" + subject + \"\\n\" + body."
                        + " Its length (about four characters a token) sizes the budget reservation unless"
                        + " Estimated input tokens is set.",
                exampleValue = "=\"Ticket: \" + subject + \"\\n\" + body")
        String prompt,

        @TemplateProperty(
                group = "model",
                label = "Model hint",
                optional = true,
                feel = FeelMode.optional,
                description = "A catalog model to prefer (optional)",
                tooltip = "The policy service decides: a model the routing policy allows is tried first, a retired one"
                        + " is ignored, and the budget can still narrow the choice. Leave empty to route by policy"
                        + " alone.",
                exampleValue = "gpt-4o-mini")
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
                description = "Upper bound of the answer length in tokens",
                tooltip = "The provider stops the answer here (the not_truncated check then fails), and the budget"
                        + " reservation is sized for an answer this long. 1 to 1,000,000; default 256.")
        Integer maxOutputTokens,

        @PositiveOrZero
        @TemplateProperty(
                group = "model",
                label = "Estimated input tokens",
                type = PropertyType.Number,
                optional = true,
                feel = FeelMode.optional,
                description = "Leave empty to estimate from the prompt length",
                tooltip = "Used only to size the budget reservation before the call (about four characters a token"
                        + " when empty); the cost is settled from the tokens the provider reports.")
        Integer estimatedInputTokens,

        @TemplateProperty(
                group = "structuredOutput",
                label = "JSON schema",
                type = PropertyType.Text,
                optional = true,
                feel = FeelMode.optional,
                condition =
                        @PropertyCondition(
                                property = "taskKind",
                                oneOf = {TaskKinds.EXTRACT, TaskKinds.CUSTOM}),
                description = "The JSON the answer must have; the parsed answer is the result's json",
                tooltip = "A JSON Schema (draft 2020-12 unless it names another), as text or a FEEL context. The model"
                        + " is asked for JSON in this shape, the answer is parsed into the result's json (an object,"
                        + " not a string), and the json_valid and schema_valid checks run. Remote $refs are never"
                        + " fetched.",
                exampleValue = "{\"type\": \"object\", \"required\": [\"invoiceNumber\", \"total\"], \"properties\":"
                        + " {\"invoiceNumber\": {\"type\": \"string\"}, \"total\": {\"type\": \"number\"}}}")
        Object jsonSchema,

        @TemplateProperty(
                group = "task",
                label = "Tags",
                optional = true,
                feel = FeelMode.required,
                description = "Labels recorded with the call (a FEEL context)",
                tooltip = "Stored with the call in the cost ledger and shown in reports, e.g. the team or the"
                        + " customer tier. Routing does not read them.",
                exampleValue = "={team: \"support\", tier: customer.tier}")
        Map<String, String> tags,

        @Pattern(
                regexp = "^PT(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?$",
                message = "must be an ISO-8601 duration in hours, minutes and seconds, such as PT2M or PT30S")
        @TemplateProperty(
                group = "model",
                label = "Time limit",
                optional = true,
                feel = FeelMode.optional,
                description = "The longest the whole task may take, every candidate model included",
                tooltip = "ISO-8601, e.g. PT2M. Keep it below the job timeout, so Zeebe never hands the job to a second"
                        + " worker while this one still calls models. When it is up, no further model is started and"
                        + " the job is retried later.",
                exampleValue = "PT2M")
        String timeLimit,

        @TemplateProperty(
                group = "classification",
                label = "Categories",
                optional = true,
                feel = FeelMode.optional,
                condition =
                        @PropertyCondition(
                                property = "taskKind",
                                oneOf = {TaskKinds.CLASSIFY, TaskKinds.CUSTOM}),
                description = "The answers allowed, comma-separated or a FEEL list",
                tooltip = "The result's category is the category the whole answer names, compared without case,"
                        + " surrounding quotes or spaces and final punctuation (Billing. is billing), spelled as"
                        + " declared here; never free text. The category_valid check fails when the answer names"
                        + " none.",
                exampleValue = "billing, technical, other")
        Object categories,

        @TemplateProperty(
                group = "classification",
                label = "Fallback category",
                optional = true,
                feel = FeelMode.optional,
                condition =
                        @PropertyCondition(
                                property = "taskKind",
                                oneOf = {TaskKinds.CLASSIFY, TaskKinds.CUSTOM}),
                description = "The category an answer naming none is read as (optional)",
                tooltip = "With a fallback, the result's category is always a value a gateway expects: a declared"
                        + " category or this one; quality.category_valid tells the two apart. Without one, category is"
                        + " null for such an answer. Put category_valid in the quality gate to try another model"
                        + " instead.",
                exampleValue = "other")
        String fallbackCategory,

        @PositiveOrZero
        @TemplateProperty(
                group = "quality",
                label = "Minimum answer length",
                type = PropertyType.Number,
                optional = true,
                feel = FeelMode.optional,
                condition =
                        @PropertyCondition(
                                property = "taskKind",
                                oneOf = {TaskKinds.GENERATE, TaskKinds.SUMMARISE, TaskKinds.CUSTOM}),
                description = "Fewest characters a good answer has (the length_ok check)",
                tooltip = "Counted in characters, not bytes, after trimming surrounding spaces. A shorter answer fails"
                        + " length_ok; put it in the quality gate to try another model.")
        Integer minAnswerChars,

        @Positive
        @TemplateProperty(
                group = "quality",
                label = "Maximum answer length",
                type = PropertyType.Number,
                optional = true,
                feel = FeelMode.optional,
                condition =
                        @PropertyCondition(
                                property = "taskKind",
                                oneOf = {TaskKinds.GENERATE, TaskKinds.SUMMARISE, TaskKinds.CUSTOM}),
                description = "Most characters a good answer has (the length_ok check)",
                tooltip = "Counted in characters, not bytes. Max output tokens caps what the model may write; this"
                        + " bound checks what it did write, e.g. a summary of at most 600 characters.")
        Integer maxAnswerChars,

        @Pattern(
                regexp = "^\\s*([a-z_]+\\s*(,\\s*[a-z_]+\\s*)*)?$",
                message = "must be check names separated by commas, such as schema_valid, not_refused, or all")
        @TemplateProperty(
                group = "quality",
                label = "Quality gate",
                optional = true,
                feel = FeelMode.optional,
                description = "Checks an answer must pass, comma-separated, or all",
                tooltip = "Checks: json_valid, schema_valid, category_valid, not_empty, not_truncated, not_refused,"
                        + " length_ok. An answer that fails is paid for and recorded, and the next candidate model is"
                        + " tried; when none passes, the task raises AI_QUALITY_GATE_FAILED with the last answer in"
                        + " aiQualityFailure. Empty: every answer is accepted and the checks are only reported.",
                exampleValue = "schema_valid, not_refused")
        String qualityGate,

        @Pattern(
                regexp = "^[^@\\s]+(@[A-Za-z0-9_.-]+)?$",
                message = "must be a prompt name, name@version or name@label, such as classify-ticket@production")
        @TemplateProperty(
                group = "prompt",
                label = "Prompt reference",
                constraints = @PropertyConstraints(notEmpty = true),
                feel = FeelMode.optional,
                condition = @PropertyCondition(property = "promptSource", equals = PromptSources.REFERENCE),
                exampleValue = "classify-ticket@production",
                description = "A registry prompt: name, name@version or name@label",
                tooltip = "classify-ticket is the latest version, classify-ticket@3 that version, and"
                        + " classify-ticket@production the version the label points at (a moved label reaches every"
                        + " worker within 30 s). An unknown reference raises AI_PROMPT_NOT_FOUND.")
        String promptRef,

        @TemplateProperty(
                group = "prompt",
                label = "Prompt variables",
                optional = true,
                feel = FeelMode.required,
                condition = @PropertyCondition(property = "promptSource", equals = PromptSources.REFERENCE),
                exampleValue = "={subject: subject, body: body}",
                description = "FEEL context whose entries fill the template's {{name}} placeholders",
                tooltip = "Each {{name}} in the registry prompt is replaced by the entry of that name. A placeholder"
                        + " without an entry raises AI_PROMPT_INVALID.")
        Map<String, Object> promptVariables) {

    public AiTaskRequest {
        // a custom task is routed by the kind its builder named; the dropdown's "custom" only when none is named
        if (TaskKinds.CUSTOM.equals(taskKind) && customTaskKind != null && !customTaskKind.isBlank()) {
            taskKind = customTaskKind;
        }
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
        return hasPrompt() ^ hasReference();
    }

    /**
     * The prompt source, when a diagram states it, names the field that is given: a diagram edited outside the Modeler
     * may say "reference" and still carry only a prompt.
     */
    @JsonIgnore
    @AssertTrue(message = "promptSource must be inline (with a prompt) or reference (with a promptRef)")
    public boolean isPromptSourceKept() {
        if (promptSource == null || promptSource.isBlank()) {
            return true;
        }
        return switch (promptSource.strip()) {
            case PromptSources.INLINE -> hasPrompt();
            case PromptSources.REFERENCE -> hasReference();
            default -> false;
        };
    }

    private boolean hasPrompt() {
        return prompt != null && !prompt.isBlank();
    }

    private boolean hasReference() {
        return promptRef != null && !promptRef.isBlank();
    }

    /** This task with the prompt texts the registry's version gives (rendered), in place of its own. */
    public AiTaskRequest withPrompt(String newSystemPrompt, String newPrompt) {
        return new AiTaskRequest(
                project,
                taskKind,
                customTaskKind,
                promptSource,
                newSystemPrompt,
                newPrompt,
                modelHint,
                maxOutputTokens,
                estimatedInputTokens,
                jsonSchema,
                tags,
                timeLimit,
                categories,
                fallbackCategory,
                minAnswerChars,
                maxAnswerChars,
                qualityGate,
                promptRef,
                promptVariables);
    }
}
