package io.aiops.policy.application.port.in;

import io.aiops.policy.api.CallRecord;
import java.util.List;

/** Reads the ledger of one process instance. */
public interface CallHistoryQuery {

    /** Every call of the instance with its attempts, oldest first. */
    List<CallRecord> callsOfProcessInstance(long processInstanceKey, ApiPrincipal actor);
}
