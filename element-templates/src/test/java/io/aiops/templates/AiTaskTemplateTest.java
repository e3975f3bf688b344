package io.aiops.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.connector.AiTaskConnectorFunction;
import io.aiops.connector.pipeline.AiTaskBpmnError;
import io.aiops.policy.api.DenialReason;
import io.camunda.connector.api.annotation.OutboundConnector;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a builder sees of the AI task in Camunda Modeler: the checked-in template, read as the Modeler reads it. */
class AiTaskTemplateTest {

    private static JsonNode template;
    private static Map<String, JsonNode> properties;

    @BeforeAll
    static void readTemplate() throws IOException {
        template = new ObjectMapper().readTree(Path.of("ai-task-ai-ops.json").toFile());
        properties = new LinkedHashMap<>();
        for (JsonNode property : template.path("properties")) {
            String id = property.path("id")
                    .asText(property.path("binding").path("property").asText());
            properties.put(id, property);
        }
    }

    @Test
    void itDeclaresTheEngineItsDocumentationAndTheKeywordsTheModelerSearches() {
        assertThat(template.path("engines").path("camunda").asText()).isEqualTo("^8.8");
        assertThat(template.path("documentationRef").asText())
                .isEqualTo(AiTaskConnectorFunction.DOCUMENTATION_URL)
                .startsWith("https://");
        assertThat(texts(template.path("keywords")))
                .contains("ai", "llm", "classify", "extract", "generate", "summarise", "prompt");
    }

    @Test
    void theTaskKindIsADropdownOfTheFiveKindsBoundToTheInputRoutingReads() {
        JsonNode taskKind = properties.get("taskKind");

        assertThat(taskKind.path("type").asText()).isEqualTo("Dropdown");
        assertThat(taskKind.path("binding").path("type").asText()).isEqualTo("zeebe:input");
        assertThat(taskKind.path("binding").path("name").asText()).isEqualTo("taskKind");
        assertThat(taskKind.path("value").asText()).isEqualTo("classify");
        List<String> values = new ArrayList<>();
        taskKind.path("choices")
                .forEach(choice -> values.add(choice.path("value").asText()));
        assertThat(values).containsExactly("classify", "extract", "generate", "summarise", "custom");
    }

    @Test
    void eachTaskKindOffersItsOwnFields() {
        assertThat(visibleFor("classify"))
                .contains("categories", "fallbackCategory")
                .doesNotContain("jsonSchema", "minAnswerChars", "maxAnswerChars", "customTaskKind");
        assertThat(visibleFor("extract"))
                .contains("jsonSchema")
                .doesNotContain("categories", "fallbackCategory", "minAnswerChars", "maxAnswerChars");
        for (String kind : List.of("generate", "summarise")) {
            assertThat(visibleFor(kind))
                    .as(kind)
                    .contains("minAnswerChars", "maxAnswerChars")
                    .doesNotContain("categories", "fallbackCategory", "jsonSchema");
        }
        assertThat(visibleFor("custom"))
                .contains(
                        "customTaskKind",
                        "categories",
                        "fallbackCategory",
                        "jsonSchema",
                        "minAnswerChars",
                        "maxAnswerChars");
        // what every task needs does not depend on the kind
        for (String kind : List.of("classify", "extract", "generate", "summarise", "custom")) {
            assertThat(visibleFor(kind))
                    .as(kind)
                    .contains("project", "promptSource", "qualityGate", "modelHint", "maxOutputTokens", "timeLimit");
        }
    }

    @Test
    void thePromptIsWrittenInlineOrReferencedNeverBoth() {
        assertThat(properties.get("promptSource").path("type").asText()).isEqualTo("Dropdown");
        assertThat(properties.get("promptSource").path("value").asText()).isEqualTo("inline");
        for (String inline : List.of("prompt", "systemPrompt")) {
            assertThat(properties.get(inline).path("condition").path("property").asText())
                    .isEqualTo("promptSource");
            assertThat(properties.get(inline).path("condition").path("equals").asText())
                    .isEqualTo("inline");
        }
        for (String reference : List.of("promptRef", "promptVariables")) {
            assertThat(properties
                            .get(reference)
                            .path("condition")
                            .path("equals")
                            .asText())
                    .isEqualTo("reference");
        }
        // shown, each is required: the Modeler flags a task whose prompt is missing
        assertThat(properties.get("prompt").path("constraints").path("notEmpty").asBoolean())
                .isTrue();
        assertThat(properties
                        .get("promptRef")
                        .path("constraints")
                        .path("notEmpty")
                        .asBoolean())
                .isTrue();
        assertThat(properties.get("prompt").path("feel").asText()).isEqualTo("optional");
        assertThat(properties.get("promptRef").path("placeholder").asText()).contains("@");
    }

    @Test
    void everyConditionNamesADropdownOfTheTemplateAndOneOfItsChoices() {
        for (Map.Entry<String, JsonNode> entry : properties.entrySet()) {
            JsonNode condition = entry.getValue().path("condition");
            if (condition.isMissingNode()) {
                continue;
            }
            JsonNode on = properties.get(condition.path("property").asText());
            assertThat(on).as("%s depends on %s", entry.getKey(), condition).isNotNull();
            List<String> choices = new ArrayList<>();
            on.path("choices")
                    .forEach(choice -> choices.add(choice.path("value").asText()));
            List<String> expected = condition.has("equals")
                    ? List.of(condition.path("equals").asText())
                    : texts(condition.path("oneOf"));
            assertThat(choices).as("choices %s needs", entry.getKey()).containsAll(expected);
        }
    }

    @Test
    void everyVisiblePropertyAndEveryGroupHasATooltip() {
        List<String> without = new ArrayList<>();
        properties.forEach((id, property) -> {
            if (!property.path("type").asText().equals("Hidden")
                    && property.path("tooltip").asText().isBlank()) {
                without.add(id);
            }
        });
        template.path("groups").forEach(group -> {
            if (group.path("tooltip").asText().isBlank()) {
                without.add("group " + group.path("id").asText());
            }
        });
        assertThat(without).as("properties and groups without a tooltip").isEmpty();
    }

    @Test
    void everyTextInputShowsAnExampleAsItsPlaceholder() {
        List<String> without = new ArrayList<>();
        properties.forEach((id, property) -> {
            boolean textInput = property.path("binding").path("type").asText().equals("zeebe:input")
                    && List.of("String", "Text").contains(property.path("type").asText());
            if (textInput && property.path("placeholder").asText().isBlank()) {
                without.add(id);
            }
        });
        assertThat(without).as("text inputs without a placeholder").isEmpty();
    }

    @Test
    void theResultAndErrorHandlingSayWhatTheProcessGets() {
        assertThat(properties.get("resultVariable").path("tooltip").asText())
                .contains("text", "json", "category", "quality", "aiCall", "costUsd");
        assertThat(properties.get("resultExpression").path("tooltip").asText()).contains("text", "json", "aiCall");
        String errorTooltip = properties.get("errorExpression").path("tooltip").asText();
        assertThat(errorTooltip).contains(AiTaskConnectorFunction.BPMN_ERRORS.keySet());
    }

    @Test
    void theErrorListNamesEveryBpmnErrorTheConnectorRaises() throws IllegalAccessException {
        List<String> raised = new ArrayList<>();
        for (DenialReason reason : DenialReason.values()) {
            raised.add(reason.bpmnErrorCode());
        }
        for (Field field : AiTaskBpmnError.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                raised.add((String) field.get(null));
            }
        }

        assertThat(AiTaskConnectorFunction.BPMN_ERRORS.keySet()).containsExactlyInAnyOrderElementsOf(raised);
        assertThat(raised).allMatch(code -> code.startsWith("AI_"), "caught by the default error expression");
    }

    @Test
    void everyInputOfTheTemplateIsOneTheConnectorRuntimeHandsOver() {
        List<String> inputs = new ArrayList<>();
        properties.values().forEach(property -> {
            if (property.path("binding").path("type").asText().equals("zeebe:input")) {
                inputs.add(property.path("binding").path("name").asText());
            }
        });
        OutboundConnector connector = AiTaskConnectorFunction.class.getAnnotation(OutboundConnector.class);

        assertThat(List.of(connector.inputVariables())).containsAll(inputs);
    }

    /** The ids of the properties the Modeler shows when the task kind is {@code kind} (and the prompt is inline). */
    private static List<String> visibleFor(String kind) {
        Map<String, String> values = Map.of("taskKind", kind, "promptSource", "inline");
        List<String> visible = new ArrayList<>();
        properties.forEach((id, property) -> {
            JsonNode condition = property.path("condition");
            if (condition.isMissingNode() || holds(condition, values)) {
                visible.add(id);
            }
        });
        return visible;
    }

    private static boolean holds(JsonNode condition, Map<String, String> values) {
        String value = values.get(condition.path("property").asText());
        if (condition.has("equals")) {
            return condition.path("equals").asText().equals(value);
        }
        return texts(condition.path("oneOf")).contains(value);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
