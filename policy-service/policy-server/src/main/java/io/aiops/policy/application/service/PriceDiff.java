package io.aiops.policy.application.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.CatalogImportResult.PriceChange;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The price fields in which two catalog entries differ, by their JSON names (service tiers as
 * {@code serviceTiers.<tier>.<field>}); numbers compare by value, so 0.10 equals 0.1. Version, time and source are
 * not prices.
 */
final class PriceDiff {

    private static final Set<String> NOT_PRICES = Set.of("provider", "model", "version", "effectiveFrom", "source");

    private PriceDiff() {}

    /** Every differing field; {@code before} null: every field {@code after} sets. */
    static List<PriceChange> between(String id, ModelPrice before, ModelPrice after) {
        List<PriceChange> changes = new ArrayList<>();
        compare(id, "", tree(before), tree(after), changes);
        return changes;
    }

    private static JsonNode tree(ModelPrice price) {
        return price == null ? PolicyClient.JSON.createObjectNode() : PolicyClient.JSON.valueToTree(price);
    }

    private static void compare(String id, String prefix, JsonNode before, JsonNode after, List<PriceChange> into) {
        Set<String> fields = new TreeSet<>();
        before.fieldNames().forEachRemaining(fields::add);
        after.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            if (prefix.isEmpty() && NOT_PRICES.contains(field)) {
                continue;
            }
            JsonNode b = before.path(field);
            JsonNode a = after.path(field);
            if (b.isObject() || a.isObject()) {
                compare(
                        id,
                        prefix + field + ".",
                        b.isObject() ? b : PolicyClient.JSON.createObjectNode(),
                        a.isObject() ? a : PolicyClient.JSON.createObjectNode(),
                        into);
            } else if (!same(b, a)) {
                into.add(new PriceChange(id, prefix + field, shown(b), shown(a)));
            }
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        boolean aEmpty = a.isMissingNode() || a.isNull();
        boolean bEmpty = b.isMissingNode() || b.isNull();
        if (aEmpty || bEmpty) {
            return aEmpty == bEmpty;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.asText().equals(b.asText());
    }

    private static String shown(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        return value.isNumber() ? value.decimalValue().stripTrailingZeros().toPlainString() : value.asText();
    }
}
