package io.aiops.policy.application.port.in;

import io.aiops.policy.api.OutcomeReceipt;
import java.util.UUID;

/** Records a decision's call in the ledger and settles its reservation; a repeated post changes nothing. */
public interface RecordOutcomeUseCase {

    OutcomeReceipt recordOutcome(UUID decisionId, RecordOutcomeCommand command, ApiPrincipal actor);
}
