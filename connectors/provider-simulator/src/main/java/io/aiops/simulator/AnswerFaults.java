package io.aiops.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The quality faults ({@link FaultKind#inAnswer()}): how each spoils an answer the simulator would otherwise give,
 * the same way in every wire format. The spoiled answer is billed like any other.
 */
final class AnswerFaults {

    static final String REFUSAL = "I'm sorry, but I can't help with that request.";
    static final String INVALID_JSON = "Sure! Here is the data you asked for: {answer: unavailable";
    static final String WRONG_CATEGORY = "none of the above";

    private AnswerFaults() {}

    /** A text answer as {@code fault} spoils it (null: as it is); {@code truncated} says it was cut off. */
    record Spoiled(String text, boolean truncated) {}

    static Spoiled spoil(FaultKind fault, String answer) {
        if (fault == null) {
            return new Spoiled(answer, false);
        }
        return switch (fault) {
            case REFUSAL -> new Spoiled(REFUSAL, false);
            case INVALID_JSON -> new Spoiled(INVALID_JSON, false);
            case OFF_SCHEMA -> new Spoiled(OpenAiChatEndpoint.json(offSchema()), false);
            case WRONG_CATEGORY -> new Spoiled(WRONG_CATEGORY, false);
            case CUT_OFF -> new Spoiled(answer.substring(0, Math.max(1, answer.length() / 2)), true);
            default -> throw new IllegalArgumentException(fault + " is not a fault in the answer");
        };
    }

    /** A JSON object no schema with required properties or closed properties accepts. */
    static JsonNode offSchema() {
        ObjectNode object = HttpReplies.JSON.createObjectNode();
        object.put("unexpected", "off-schema answer");
        return object;
    }
}
