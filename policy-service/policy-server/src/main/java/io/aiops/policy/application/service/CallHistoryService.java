package io.aiops.policy.application.service;

import io.aiops.policy.api.CallRecord;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.CallHistoryQuery;
import io.aiops.policy.application.port.out.CallLedger;
import io.aiops.policy.domain.call.RecordedCall;
import java.util.List;
import org.springframework.transaction.annotation.Transactional;

/** Reads the ledger of a process instance. */
public class CallHistoryService implements CallHistoryQuery {

    private final CallLedger ledger;

    public CallHistoryService(CallLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    @Transactional(readOnly = true)
    public List<CallRecord> callsOfProcessInstance(long processInstanceKey, ApiPrincipal actor) {
        List<RecordedCall> calls = ledger.callsOfProcessInstance(processInstanceKey);
        // an instance belongs to one project; a key of another project learns nothing, not even which calls exist
        calls.forEach(call -> ProjectAccess.require(actor, call.project(), "processInstanceKey"));
        return calls.stream().map(ApiMapping::toApi).toList();
    }
}
