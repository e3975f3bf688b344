package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.aiops.policy.application.port.in.RequestRejected;
import java.util.List;

/**
 * Reads request bodies bound by hand (budgets, alert rules): like every body bound by Spring (the mapper fails on
 * unknown properties), an unknown key is refused instead of being ignored, and a value of the wrong type is refused
 * naming its field.
 */
final class JsonBodies {

    private JsonBodies() {}

    /**
     * Binds a JSON tree to a type; a key the type does not know, or a value that does not fit, is refused naming its
     * field path.
     */
    static <T> T bind(ObjectMapper json, JsonNode node, Class<T> type, String prefix) {
        try {
            return json.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            String field = prefix + pathOf(e);
            throw RequestRejected.invalid(field, unknownField(field, e));
        } catch (JsonMappingException e) {
            String field = prefix + pathOf(e);
            throw RequestRejected.invalid(
                    field.isEmpty() ? null : field,
                    (field.isEmpty() ? "the body" : field) + " has a value of the wrong type or an unknown value: "
                            + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw RequestRejected.invalid(null, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** The one wording of an unknown key, whether the body was bound by Spring or by {@link #bind}. */
    static String unknownField(String field, UnrecognizedPropertyException e) {
        List<String> known = e.getKnownPropertyIds() == null
                ? List.of()
                : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        return field + " is not a known field; known fields are " + known;
    }

    /** {@code attempts[0].status} from Jackson's reference chain. */
    static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
