package io.aiops.policy.application.port.in;

import io.aiops.policy.api.Decision;

/** Answers whether an AI call may run, with which models, and reserves budget for it; idempotent per key. */
public interface DecideUseCase {

    Decision decide(DecideCommand command, ApiPrincipal actor);
}
