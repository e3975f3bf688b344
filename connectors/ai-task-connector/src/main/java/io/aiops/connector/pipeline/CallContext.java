package io.aiops.connector.pipeline;

import io.aiops.core.ProcessCoordinates;
import java.time.Instant;
import java.util.Objects;

/**
 * Where an AI call happens ({@link ProcessCoordinates}: a plain job worker knows the job key, the 8.8 connector runtime
 * does not), the job's remaining retries where the host has them (else null), the answer an earlier delivery of this
 * job kept ({@link PaidAnswer}) or null, and the job's deadline where the host knows it (after it Zeebe may hand the job
 * to another worker) or null.
 */
public record CallContext(ProcessCoordinates where, Integer retries, PaidAnswer keptAnswer, Instant deadline) {

    public CallContext {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(where.bpmnProcessId(), "bpmnProcessId");
        Objects.requireNonNull(where.elementId(), "elementId");
        Objects.requireNonNull(where.processInstanceKey(), "processInstanceKey");
        Objects.requireNonNull(where.elementInstanceKey(), "elementInstanceKey");
    }

    /** A context without retries, a kept answer or a deadline. */
    public CallContext(ProcessCoordinates where) {
        this(where, null, null, null);
    }

    public long elementInstanceKey() {
        return where.elementInstanceKey();
    }
}
