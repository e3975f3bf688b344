package io.aiops.policy.application.port.in;

import io.aiops.policy.api.CallRecord;
import java.util.List;

/** Reads the ledger of one process instance. */
public interface CallHistoryQuery {

    /** Every call of the instance with its attempts, oldest first. */
    List<CallRecord> callsOfProcessInstance(long processInstanceKey, ApiPrincipal actor);

    /** A call's prompt and answer as recorded: redacted as its project's redaction mode was then; null when none. */
    record CallTexts(String requestText, String responseText) {}

    /** The texts of every call of the instance, by call id; the same access as {@link #callsOfProcessInstance}. */
    java.util.Map<java.util.UUID, CallTexts> textsOfProcessInstance(long processInstanceKey, ApiPrincipal actor);
}
