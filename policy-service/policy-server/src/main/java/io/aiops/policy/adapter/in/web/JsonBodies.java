package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.application.port.in.RequestRejected;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads request bodies whose every key matters (budgets, imported prices): an unknown key is refused instead of being
 * ignored, and a value of the wrong type is refused naming its field.
 */
final class JsonBodies {

  private JsonBodies() {}

  /** The JSON names of a record's components. */
  static Set<String> componentNames(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).collect(Collectors.toUnmodifiableSet());
  }

  /** Refuses any key of {@code object} outside {@code known}, naming it as {@code prefix + key}. */
  static void requireKnownKeys(JsonNode object, String prefix, Set<String> known) {
    if (object == null || !object.isObject()) {
      return;
    }
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw RequestRejected.invalid(
            prefix + name, prefix + name + " is not a known field; known fields are " + known.stream().sorted().toList());
      }
    }
  }

  /** Binds a JSON tree to a type; a value that does not fit is refused naming its field path. */
  static <T> T bind(ObjectMapper json, JsonNode node, Class<T> type, String prefix) {
    try {
      return json.treeToValue(node, type);
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
