package io.aiops.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the simulator answers, deterministically, so that workflows built on its answers take meaningful paths.
 *
 * <ol>
 *   <li>With a JSON schema: a JSON object satisfying it (every declared property filled; enums chosen like 2.).</li>
 *   <li>When the prompt lists allowed answers as "one of: a, b, c" (case-insensitive; the list ends at '.' or a
 *       newline; items split on ',' and " or "): the option whose word occurs earliest in the rest of the prompt, else
 *       the first option.</li>
 *   <li>Otherwise: "Simulated answer from &lt;model&gt;: " + {@link #digest(String)} of the prompt.</li>
 * </ol>
 */
public final class AnswerRules {

    private static final Pattern ALLOWED_ANSWERS = Pattern.compile("(?i)one of:[ \\t]*([^.\\n\\r]*)");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnswerRules() {}

    /** The answer for a plain text request. */
    public static String textAnswer(String model, String prompt) {
        Optional<String> choice = chooseAllowedAnswer(prompt);
        return choice.orElseGet(() -> "Simulated answer from " + model + ": " + digest(prompt));
    }

    /** Short deterministic digest of a prompt: its word count and the first 8 hex digits of its SHA-256. */
    public static String digest(String prompt) {
        String text = prompt == null ? "" : prompt;
        String trimmed = text.trim();
        int words = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        return "prompt of " + words + " words, digest " + sha256Hex(text).substring(0, 8);
    }

    /** The allowed answers listed in the prompt after "one of:", in order; empty when there is no such list. */
    public static List<String> allowedAnswers(String prompt) {
        Matcher m = ALLOWED_ANSWERS.matcher(prompt == null ? "" : prompt);
        return m.find() ? splitOptions(m.group(1)) : List.of();
    }

    /** Applies the "one of:" rule: the listed option the rest of the prompt mentions first, else the first option. */
    public static Optional<String> chooseAllowedAnswer(String prompt) {
        List<String> options = allowedAnswers(prompt);
        if (options.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                earliestMentioned(options, withoutAllowedList(prompt)).orElse(options.get(0)));
    }

    /** A JSON value satisfying {@code schema}; enum values are picked by the mentions in {@code prompt}. */
    public static JsonNode jsonAnswer(JsonNode schema, String prompt) {
        return valueFor(schema, "value", withoutAllowedList(prompt == null ? "" : prompt), 0);
    }

    /** The prompt without its "one of:" list, so the options do not count as mentions of themselves. */
    private static String withoutAllowedList(String prompt) {
        Matcher m = ALLOWED_ANSWERS.matcher(prompt);
        return m.find() ? prompt.substring(0, m.start()) + "\n" + prompt.substring(m.end()) : prompt;
    }

    private static JsonNode valueFor(JsonNode schema, String name, String context, int depth) {
        if (schema == null || !schema.isObject() || depth > 16) {
            return NODES.textNode("simulated " + name);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("enum")
                && schema.get("enum").isArray()
                && !schema.get("enum").isEmpty()) {
            return chooseEnum(schema.get("enum"), context);
        }
        for (String alternatives : List.of("anyOf", "oneOf", "allOf")) {
            JsonNode list = schema.get(alternatives);
            if (list != null && list.isArray() && !list.isEmpty()) {
                return valueFor(list.get(0), name, context, depth + 1);
            }
        }
        String type = typeOf(schema);
        return switch (type) {
            case "object" -> objectFor(schema, context, depth);
            case "array" -> arrayFor(schema, name, context, depth);
            case "integer" -> NODES.numberNode((long) Math.ceil(bounded(schema, 1)));
            case "number" -> NODES.numberNode(bounded(schema, 1.5));
            case "boolean" -> NODES.booleanNode(true);
            case "null" -> NODES.nullNode();
            default -> NODES.textNode(stringFor(schema, name));
        };
    }

    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        if (type != null && type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        if (schema.has("properties")) {
            return "object";
        }
        if (schema.has("items")) {
            return "array";
        }
        return "string";
    }

    private static ObjectNode objectFor(JsonNode schema, String context, int depth) {
        ObjectNode object = NODES.objectNode();
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                object.set(field.getKey(), valueFor(field.getValue(), field.getKey(), context, depth + 1));
            }
        }
        // required names without a declared schema still get a value so the object validates
        JsonNode required = schema.get("required");
        if (required != null && required.isArray()) {
            for (JsonNode r : required) {
                if (!object.has(r.asText())) {
                    object.put(r.asText(), "simulated " + r.asText());
                }
            }
        }
        return object;
    }

    private static ArrayNode arrayFor(JsonNode schema, String name, String context, int depth) {
        ArrayNode array = NODES.arrayNode();
        int items = Math.max(1, schema.path("minItems").asInt(1));
        if (schema.has("maxItems")) {
            items = Math.min(items, schema.get("maxItems").asInt());
        }
        for (int i = 0; i < items; i++) {
            array.add(valueFor(schema.get("items"), name, context, depth + 1));
        }
        return array;
    }

    private static double bounded(JsonNode schema, double preferred) {
        double value = preferred;
        if (schema.has("minimum")) {
            value = Math.max(value, schema.get("minimum").asDouble());
        }
        if (schema.has("exclusiveMinimum") && schema.get("exclusiveMinimum").isNumber()) {
            value = Math.max(value, schema.get("exclusiveMinimum").asDouble() + 1);
        }
        if (schema.has("maximum")) {
            value = Math.min(value, schema.get("maximum").asDouble());
        }
        if (schema.has("exclusiveMaximum") && schema.get("exclusiveMaximum").isNumber()) {
            value = Math.min(value, schema.get("exclusiveMaximum").asDouble() - 1);
        }
        return value;
    }

    private static String stringFor(JsonNode schema, String name) {
        String value = "simulated " + name;
        int min = schema.path("minLength").asInt(0);
        StringBuilder padded = new StringBuilder(value);
        while (padded.length() < min) {
            padded.append('.');
        }
        value = padded.toString();
        if (schema.has("maxLength")) {
            value = value.substring(
                    0, Math.min(value.length(), schema.get("maxLength").asInt()));
        }
        return value;
    }

    private static JsonNode chooseEnum(JsonNode values, String context) {
        List<String> texts = new ArrayList<>();
        for (JsonNode v : values) {
            texts.add(v.asText());
        }
        Optional<String> mentioned = earliestMentioned(texts, context);
        if (mentioned.isPresent()) {
            for (JsonNode v : values) {
                if (v.asText().equals(mentioned.get())) {
                    return v;
                }
            }
        }
        return values.get(0);
    }

    private static List<String> splitOptions(String list) {
        List<String> options = new ArrayList<>();
        for (String part : list.split(",")) {
            for (String item : part.split("(?i)\\s+or\\s+")) {
                String cleaned = item.trim()
                        .replaceFirst("(?i)^(or|and)\\s+", "")
                        .replaceAll("^[\"'`]+|[\"'`]+$", "")
                        .trim();
                if (!cleaned.isEmpty()) {
                    options.add(cleaned);
                }
            }
        }
        return options;
    }

    private static Optional<String> earliestMentioned(List<String> options, String text) {
        String best = null;
        int bestIndex = Integer.MAX_VALUE;
        for (String option : options) {
            if (option.isEmpty()) {
                continue;
            }
            Pattern word = Pattern.compile(
                    "(?<![\\p{L}\\p{N}])" + Pattern.quote(option) + "(?![\\p{L}\\p{N}])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            Matcher m = word.matcher(text);
            if (m.find()) {
                // at the same position the longer option is the more specific mention
                if (m.start() < bestIndex || (m.start() == bestIndex && option.length() > best.length())) {
                    best = option;
                    bestIndex = m.start();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    static String sha256Hex(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
