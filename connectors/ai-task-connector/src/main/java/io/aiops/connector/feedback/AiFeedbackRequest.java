package io.aiops.connector.feedback;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.camunda.connector.generator.dsl.Property.FeelMode;
import io.camunda.connector.generator.java.annotation.TemplateProperty;
import io.camunda.connector.generator.java.annotation.TemplateProperty.DropdownPropertyChoice;
import io.camunda.connector.generator.java.annotation.TemplateProperty.PropertyType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The input of one AI feedback task: which AI call it is about (its id from the AI task's result, or the AI task's
 * element id in this process instance) and the verdict: pass or fail, a number from 0 to 1, or a category.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AiFeedbackRequest(
        @TemplateProperty(
                group = "call",
                label = "AI call id",
                optional = true,
                feel = FeelMode.optional,
                exampleValue = "=aiResult.aiCall.callId",
                description = "The callId from the AI task's result (aiCall.callId). Leave empty to name the AI task"
                        + " by its element id instead")
        String callId,

        @TemplateProperty(
                group = "call",
                label = "AI task element id",
                optional = true,
                feel = FeelMode.optional,
                exampleValue = "extract_invoice",
                description = "The BPMN element id of the AI task in this process instance; its latest call gets the"
                        + " feedback. Used when no call id is given")
        String aiTaskElementId,

        @NotBlank
        @Pattern(
                regexp = "^[a-z][a-z0-9_.-]{0,63}$",
                message = "must be a lower-case name such as accepted or reviewer_accepted")
        @TemplateProperty(
                group = "verdict",
                label = "Score name",
                defaultValue = "accepted",
                feel = FeelMode.optional,
                description = "What the verdict measures, e.g. accepted, corrected, ticket_reopened; quality reports"
                        + " group by it")
        String scoreName,

        @NotNull
        @TemplateProperty(
                group = "verdict",
                label = "Verdict",
                feel = FeelMode.required,
                exampleValue = "=reviewerAccepted",
                description =
                        "true (passed) or false (failed), a number from 0 (worst) to 1 (best), or a category" + " text")
        Object verdict,

        @TemplateProperty(
                group = "verdict",
                label = "Source",
                type = PropertyType.Dropdown,
                defaultValue = "HUMAN",
                choices = {
                    @DropdownPropertyChoice(value = "HUMAN", label = "A person (reviewer, agent)"),
                    @DropdownPropertyChoice(value = "DOWNSTREAM", label = "A later step of the workflow")
                },
                description = "Who found out whether the AI's work held up")
        String source,

        @TemplateProperty(
                group = "verdict",
                label = "Explanation",
                type = PropertyType.Text,
                optional = true,
                feel = FeelMode.optional,
                description = "Why, in a sentence (redacted like the call's texts)")
        String explanation) {}
