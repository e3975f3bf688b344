package io.aiops.connector.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an AI call happens: the process instance coordinates every host knows, plus the job key and remaining retries
 * where the host has them (a plain job worker does; the 8.8 connector runtime does not, so they are null there), and
 * the answer an earlier delivery of this job kept ({@link PaidAnswer}), or null, and the job's deadline where the host
 * knows it (after it Zeebe may hand the job to another worker), or null.
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
        Integer retries,
        PaidAnswer keptAnswer,
        Instant deadline) {

    public CallContext {
        Objects.requireNonNull(bpmnProcessId, "bpmnProcessId");
        Objects.requireNonNull(elementId, "elementId");
    }

    /** A context without a kept answer or deadline. */
    public CallContext(
            long processInstanceKey,
            String bpmnProcessId,
            long processDefinitionKey,
            int processDefinitionVersion,
            String elementId,
            long elementInstanceKey,
            String tenantId,
            Long jobKey,
            Integer retries) {
        this(
                processInstanceKey,
                bpmnProcessId,
                processDefinitionKey,
                processDefinitionVersion,
                elementId,
                elementInstanceKey,
                tenantId,
                jobKey,
                retries,
                null,
                null);
    }
}
