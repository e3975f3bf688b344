package io.aiops.connector.model;

/**
 * What an AI task returns to the process: the model's text, the parsed JSON when a schema was requested (else null),
 * and the {@link AiCallRecord} that ties the answer to the cost ledger.
 */
public record AiTaskResult(String text, Object json, AiCallRecord aiCall) {}
