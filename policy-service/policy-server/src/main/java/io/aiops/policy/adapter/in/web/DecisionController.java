package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.in.DecideUseCase;
import io.aiops.policy.application.port.in.RecordOutcomeCommand;
import io.aiops.policy.application.port.in.RecordOutcomeUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Decisions before an AI call and outcomes after it. */
@RestController
@RequestMapping("/api/v1/decisions")
class DecisionController {

    private final DecideUseCase decide;
    private final RecordOutcomeUseCase recordOutcome;
    private final MeterRegistry meters;

    DecisionController(DecideUseCase decide, RecordOutcomeUseCase recordOutcome, MeterRegistry meters) {
        this.decide = decide;
        this.recordOutcome = recordOutcome;
        this.meters = meters;
    }

    @PostMapping
    Decision decide(
            @Valid @RequestBody DecisionRequest request,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        Decision decision = decide.decide(command(request), principal);
        // aiops.decisions: by project, task kind, outcome and denial reason (all bounded; never an instance or a key)
        meters.counter(
                        "aiops.decisions",
                        "project",
                        request.project(),
                        "task_kind",
                        request.taskKind(),
                        "outcome",
                        decision.allowed() ? "allowed" : "denied",
                        "reason",
                        decision.reason() == null ? "" : decision.reason().name())
                .increment();
        return decision;
    }

    @PostMapping("/{decisionId}/outcome")
    OutcomeReceipt recordOutcome(
            @PathVariable UUID decisionId,
            @Valid @RequestBody CallOutcome outcome,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        OutcomeReceipt receipt = recordOutcome.recordOutcome(decisionId, command(outcome), principal);
        meters.counter("aiops.calls.recorded", "status", receipt.status().name())
                .increment();
        return receipt;
    }

    /** The use case's command for a validated decision request. */
    static DecideCommand command(DecisionRequest request) {
        return new DecideCommand(
                request.idempotencyKey(),
                request.project(),
                request.coordinates(),
                request.taskKind(),
                request.modelHint(),
                request.estimatedInputTokens(),
                request.maxOutputTokens(),
                request.tags());
    }

    /** The use case's command for a validated outcome. */
    static RecordOutcomeCommand command(CallOutcome outcome) {
        List<RecordOutcomeCommand.AttemptCommand> attempts = outcome.attempts().stream()
                .map(a -> a == null
                        ? null
                        : new RecordOutcomeCommand.AttemptCommand(
                                a.provider(),
                                a.model(),
                                a.inputTokens(),
                                a.cachedInputTokens(),
                                a.cacheWriteInputTokens(),
                                a.outputTokens(),
                                a.reasoningTokens(),
                                a.latencyMs(),
                                a.status(),
                                a.errorClass(),
                                a.cacheWrite1hInputTokens(),
                                a.serviceTier()))
                .toList();
        return new RecordOutcomeCommand(
                attempts,
                outcome.qualityScores(),
                outcome.requestText(),
                outcome.responseText(),
                outcome.scores(),
                outcome.promptName(),
                outcome.promptVersion(),
                outcome.traceId());
    }
}
