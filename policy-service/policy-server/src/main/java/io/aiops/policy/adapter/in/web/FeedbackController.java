package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.CallFeedback;
import io.aiops.policy.api.FeedbackReceipt;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RecordFeedbackUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Feedback on recorded calls: 201 when recorded, 200 with the first receipt when its idempotency key was used before.
 */
@RestController
class FeedbackController {

    private final RecordFeedbackUseCase feedback;

    FeedbackController(RecordFeedbackUseCase feedback) {
        this.feedback = feedback;
    }

    @PostMapping("/api/v1/calls/{callId}/feedback")
    ResponseEntity<FeedbackReceipt> onCall(
            @PathVariable UUID callId,
            @Valid @RequestBody CallFeedback body,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        if ((body.callId() != null && !body.callId().equals(callId))
                || body.processInstanceKey() != null
                || body.elementId() != null) {
            throw RequestRejected.invalid(
                    "callId", "the call is named by the path; the body must not name another call or element");
        }
        return answer(
                feedback.recordFeedback(CallFeedback.onCall(callId, body.idempotencyKey(), body.scores()), principal));
    }

    @PostMapping("/api/v1/feedback")
    ResponseEntity<FeedbackReceipt> onCallOrElement(
            @Valid @RequestBody CallFeedback body,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return answer(feedback.recordFeedback(body, principal));
    }

    private static ResponseEntity<FeedbackReceipt> answer(FeedbackReceipt receipt) {
        return ResponseEntity.status(receipt.repeated() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(receipt);
    }
}
