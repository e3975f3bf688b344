package io.aiops.connector.pipeline;

import io.aiops.core.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * What a host watches of the AI calls it runs, for its metrics: every physical request to a provider, the cost the
 * ledger priced a call at, and every rule check of an answer. Called on the job's thread; an observer must be quick and
 * must not throw. The default does nothing.
 */
public interface CallObserver {

    CallObserver NONE = new CallObserver() {};

    /** Where a call happened, in words a dashboard groups by (never a process instance: too many values). */
    record Where(String project, String bpmnProcessId, String elementId, String taskKind) {}

    /** One request to a provider: its usage when it answered, else the error class. */
    default void attempt(
            Where where, String provider, String model, TokenUsage usage, Duration latency, String errorClass) {}

    /** A call recorded in the ledger, at the cost the policy service priced it (the model that answered). */
    default void recorded(Where where, String provider, String model, BigDecimal costUsd) {}

    /** One rule check of an answer of {@code model}. */
    default void check(Where where, String provider, String model, String check, boolean passed) {}
}
