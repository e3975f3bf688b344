package io.aiops.connector.model;

import java.util.Map;

/**
 * What an AI task returns to the process: the model's text, the parsed JSON when a schema was requested (else null), the
 * declared category the answer names (null without categories or when it names none), the rule checks by name (true:
 * passed) and the {@link AiCallRecord} that ties the answer to the cost ledger.
 */
public record AiTaskResult(
        String text, Object json, String category, Map<String, Boolean> quality, AiCallRecord aiCall) {}
