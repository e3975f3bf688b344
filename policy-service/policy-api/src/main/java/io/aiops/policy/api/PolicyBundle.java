package io.aiops.policy.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The policies of the service as one document ({@code POST /api/v1/policy-bundles}, {@code GET
 * /api/v1/policy-bundles/current}), in JSON or YAML: catalog prices, routing policies, budgets, alert rules, each
 * project's settings (redaction, retention, what workers do when the service is unavailable, the judge; redaction and
 * judge also per workflow) and prompts. Each entry is the body its own PUT endpoint takes, naming itself: a price by
 * {@code provider} and {@code model}, a budget, routing policy or alert rule by {@code id}, a prompt by {@code name}.
 * A section left out, or an object not listed, is left as it is.
 */
public record PolicyBundle(
        List<@NotNull @Valid ModelPrice> prices,
        List<@NotNull @Valid RoutingPolicy> routingPolicies,
        List<@NotNull @Valid BudgetDefinition> budgets,
        List<@NotNull AlertRule> alertRules,
        List<@NotNull @Valid ProjectSettings> projects,
        List<@NotNull @Valid PromptDefinition> prompts) {

    @JsonCreator
    public PolicyBundle {
        prices = listOf(prices);
        routingPolicies = listOf(routingPolicies);
        budgets = listOf(budgets);
        alertRules = listOf(alertRules);
        projects = listOf(projects);
        prompts = listOf(prompts);
    }

    /** The settings of one project and its workflows; a setting left out is left as it is. */
    public record ProjectSettings(
            @NotBlank @Name String project,
            @Valid RedactionSettings redaction,
            @Valid RetentionSettings retention,
            @Valid PolicyUnavailableSettings policyUnavailable,
            @Valid JudgeSettings judge,
            List<@NotNull @Valid WorkflowSettings> workflows) {

        @JsonCreator
        public ProjectSettings {
            workflows = listOf(workflows);
        }
    }

    /** What one workflow of a project sets apart from its project: redaction and the judge. */
    public record WorkflowSettings(
            @NotBlank @Name String bpmnProcessId,
            @Valid RedactionSettings redaction,
            @Valid JudgeSettings judge) {}

    private static <T> List<T> listOf(List<T> list) {
        // a null entry stays, so Bean Validation can name it
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
