package io.aiops.connector.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.connector.model.AiTaskRequest;
import io.aiops.policy.api.PolicyClient;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The task's structured output, stated once: the JSON schema sent to the provider (null when the task declares none),
 * the answer read as JSON against it, and the {@code json_valid} score recorded with the call.
 */
record StructuredOutput(String schema) {

    static final String JSON_VALID = "json_valid";
    private static final ObjectMapper JSON = PolicyClient.JSON;

    /** The task's schema as text: a string as given, an object serialised; blank or absent means none. */
    static StructuredOutput of(AiTaskRequest request) {
        Object schema = request.jsonSchema();
        if (schema == null || (schema instanceof String text && text.isBlank())) {
            return new StructuredOutput(null);
        }
        if (schema instanceof String text) {
            return new StructuredOutput(text);
        }
        try {
            return new StructuredOutput(JSON.writeValueAsString(schema));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("jsonSchema is not serialisable: " + e.getMessage(), e);
        }
    }

    /** The answer as JSON (a Markdown code fence around it is dropped); null without a schema or when it is not JSON. */
    Object parse(String answer) {
        if (schema == null || answer == null || answer.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(stripCodeFence(answer), Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The scores of an answer parsed by {@link #parse}: {@code json_valid} 1 or 0 when there is a schema, else none. */
    Map<String, BigDecimal> scores(Object parsed) {
        return schema == null ? Map.of() : Map.of(JSON_VALID, parsed != null ? BigDecimal.ONE : BigDecimal.ZERO);
    }

    /** Some models wrap JSON in a Markdown code fence even when asked for JSON only. */
    private static String stripCodeFence(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("```")) {
            int firstNewline = trimmed.indexOf('\n');
            int closing = trimmed.lastIndexOf("```");
            if (firstNewline > 0 && closing > firstNewline) {
                return trimmed.substring(firstNewline + 1, closing);
            }
        }
        return trimmed;
    }
}
