package io.aiops.policy.application.port.in;

import io.aiops.policy.api.OutcomeReceipt;

/**
 * Records a call a worker made on its own while this service was unavailable: its decision (flagged unapproved) and
 * its outcome, in one transaction; posting the same call again changes nothing.
 */
public interface RecordUnapprovedCallUseCase {

    OutcomeReceipt recordUnapproved(UnapprovedCallCommand command, ApiPrincipal actor);
}
