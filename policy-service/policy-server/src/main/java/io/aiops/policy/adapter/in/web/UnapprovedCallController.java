package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.UnapprovedCall;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RecordUnapprovedCallUseCase;
import io.aiops.policy.application.port.in.UnapprovedCallCommand;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Calls workers made without a decision while this service was unavailable, recorded afterwards. */
@RestController
class UnapprovedCallController {

    private final RecordUnapprovedCallUseCase unapprovedCalls;

    UnapprovedCallController(RecordUnapprovedCallUseCase unapprovedCalls) {
        this.unapprovedCalls = unapprovedCalls;
    }

    @PostMapping("/api/v1/unapproved-calls")
    OutcomeReceipt record(
            @Valid @RequestBody UnapprovedCall call,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return unapprovedCalls.recordUnapproved(
                new UnapprovedCallCommand(
                        call.decisionId(),
                        DecisionController.command(call.request()),
                        call.decidedAt(),
                        call.worker(),
                        call.reason(),
                        DecisionController.command(call.outcome())),
                principal);
    }
}
