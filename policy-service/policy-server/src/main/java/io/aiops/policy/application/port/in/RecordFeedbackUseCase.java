package io.aiops.policy.application.port.in;

import io.aiops.policy.api.CallFeedback;
import io.aiops.policy.api.FeedbackReceipt;

/** Records feedback on a call: scores from a person or a later workflow step, audited. */
public interface RecordFeedbackUseCase {

    /**
     * @throws RequestRejected when the call is unknown or the actor's project does not own it, the feedback names the
     *     call both ways or neither, or a score breaks the rules every score keeps
     */
    FeedbackReceipt recordFeedback(CallFeedback feedback, ApiPrincipal actor);
}
