package io.aiops.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aiops.connector.AiTaskConnectorFunction;
import io.aiops.connector.feedback.AiFeedbackConnectorFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the 8.8 generator cannot express, added to the template it generated: the error expression that turns the
 * connector's AI_* failures into catchable BPMN errors, a back-off for failed jobs, tooltips on the properties and groups
 * the generator adds itself (output, error handling, retries), the Modeler's {@code placeholder} taken from each
 * property's {@code exampleValue}, and the top-level {@code keywords} the Modeler searches (the generator writes them
 * only under {@code metadata}).
 */
final class ProductDefaults {

    private static final Set<String> PLACEHOLDER_TYPES = Set.of("String", "Text");

    private static final Map<String, String> GROUP_TOOLTIPS = Map.of(
            "connector", "The job type and the template version the connector runtime reads; nothing to set.",
            "output", "Where the task's result goes: one variable for all of it, or a FEEL expression that maps parts.",
            "error", "How the connector's named failures become BPMN errors an error boundary event catches.",
            "retries", "How often a job that failed for a passing reason is tried again, and how long to wait.");

    /** What each template's task returns and which BPMN errors it raises, for the tooltips. */
    private record TaskDocs(String result, Map<String, String> errors) {}

    private static final Map<String, TaskDocs> DOCS = Map.of(
            "io.aiops.ai-task.v1",
            new TaskDocs(
                    "text (the answer), json (the parsed object when a JSON schema is set, else null), category (a"
                            + " declared category or the fallback, else null), quality (check name to true/false) and"
                            + " aiCall {callId, decisionId, provider, model, costUsd as a decimal string, inputTokens,"
                            + " outputTokens, attempts, replayed, unapproved}",
                    AiTaskConnectorFunction.BPMN_ERRORS),
            "io.aiops.ai-feedback.v1",
            new TaskDocs(
                    "callId (the call the verdict landed on), feedbackId and repeated (true when a redelivered job"
                            + " found it recorded already)",
                    // sorted: the tooltip, and so the checked-in template, must not change between runs
                    new TreeMap<>(Map.of(
                            AiFeedbackConnectorFunction.CALL_UNKNOWN,
                            "neither the call id nor the AI task's element names a recorded call",
                            AiFeedbackConnectorFunction.REJECTED,
                            "the policy service refused the verdict"))));

    private ProductDefaults() {}

    static JsonNode applyTo(JsonNode generated) {
        ObjectNode template = (ObjectNode) generated.deepCopy();
        TaskDocs docs = DOCS.get(template.path("id").asText());
        if (docs == null) {
            throw new IllegalArgumentException("no product defaults for template " + template.path("id"));
        }
        for (JsonNode node : template.path("properties")) {
            ObjectNode property = (ObjectNode) node;
            switch (property.path("binding").path("key").asText()) {
                case "errorExpression" -> {
                    property.put("value", AiTaskConnectorFunction.DEFAULT_ERROR_EXPRESSION);
                    property.put("tooltip", errorTooltip(docs.errors()));
                }
                case "retryBackoff" -> {
                    property.put("value", "PT30S");
                    property.put(
                            "tooltip",
                            "ISO-8601 wait before a failed job is tried again, e.g. PT30S. A provider's Retry-After"
                                    + " (at most 10 minutes) wins over it.");
                }
                case "resultVariable" ->
                    property.put(
                            "tooltip",
                            "The process variable that receives the whole result: " + docs.result()
                                    + ". Leave empty to keep only what the result expression maps.");
                case "resultExpression" ->
                    property.put(
                            "tooltip",
                            "A FEEL context mapping parts of the result to process variables, e.g. ={category:"
                                    + " category, aiCall: aiCall}. The result holds " + docs.result() + ".");
                default -> {}
            }
            if ("retries".equals(property.path("binding").path("property").asText())) {
                property.put(
                        "tooltip",
                        "How often a job is tried again after a failure that is no BPMN error (a provider or the"
                                + " policy service unavailable, the time limit reached) before it becomes an"
                                + " incident.");
            }
            if (property.has("exampleValue")
                    && PLACEHOLDER_TYPES.contains(property.path("type").asText())) {
                property.put("placeholder", property.path("exampleValue").asText());
            }
        }
        for (JsonNode node : template.path("groups")) {
            String tooltip = GROUP_TOOLTIPS.get(node.path("id").asText());
            if (tooltip != null && !node.has("tooltip")) {
                ((ObjectNode) node).put("tooltip", tooltip);
            }
        }
        return withKeywordsOnTop(template);
    }

    private static String errorTooltip(Map<String, String> errors) {
        return "Keep the default: it raises every error code starting with AI_ as a BPMN error with the connector's"
                + " message and variables, for an error boundary event to catch: "
                + errors.entrySet().stream()
                        .map(e -> e.getKey() + " (" + e.getValue() + ")")
                        .collect(Collectors.joining("; "))
                + ". Other failures fail the job and use its retries.";
    }

    /** The template with {@code keywords} right after {@code metadata}, where a reader of the JSON expects it. */
    private static ObjectNode withKeywordsOnTop(ObjectNode template) {
        JsonNode keywords = template.path("metadata").path("keywords");
        if (!keywords.isArray()) {
            return template;
        }
        ObjectNode ordered = template.objectNode();
        List<String> names = new ArrayList<>();
        template.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            ordered.set(name, template.get(name));
            if (name.equals("metadata")) {
                ordered.set("keywords", ((ArrayNode) keywords).deepCopy());
            }
        }
        return ordered;
    }
}
