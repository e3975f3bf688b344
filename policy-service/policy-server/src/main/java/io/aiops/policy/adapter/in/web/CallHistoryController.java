package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.CallRecord;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.CallHistoryQuery;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** The ledger of one process instance. */
@RestController
class CallHistoryController {

    private final CallHistoryQuery history;

    CallHistoryController(CallHistoryQuery history) {
        this.history = history;
    }

    @GetMapping("/api/v1/process-instances/{processInstanceKey}/calls")
    List<CallRecord> calls(
            @PathVariable long processInstanceKey,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return history.callsOfProcessInstance(processInstanceKey, principal);
    }
}
