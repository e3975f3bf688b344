package io.aiops.connector.pipeline;

import java.util.Objects;

/**
 * Where an AI call happens: the process instance coordinates every host knows, plus the job key and remaining retries
 * where the host has them (a plain job worker does; the 8.8 connector runtime does not, so they are null there).
 */
public record CallContext(
    long processInstanceKey,
    String bpmnProcessId,
    long processDefinitionKey,
    int processDefinitionVersion,
    String elementId,
    long elementInstanceKey,
    String tenantId,
    Long jobKey,
    Integer retries) {

  public CallContext {
    Objects.requireNonNull(bpmnProcessId, "bpmnProcessId");
    Objects.requireNonNull(elementId, "elementId");
  }
}
