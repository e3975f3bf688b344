package io.aiops.policy.application.service;

import io.aiops.policy.api.BudgetReservation;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.api.Score;
import io.aiops.policy.domain.RoutingRule;
import io.aiops.policy.domain.call.CallDecision;
import io.aiops.policy.domain.call.CallReceipt;
import io.aiops.policy.domain.call.CallStatus;
import io.aiops.policy.domain.call.Candidate;
import io.aiops.policy.domain.call.DenialReason;
import io.aiops.policy.domain.call.RecordedCall;
import io.aiops.policy.domain.call.Reservation;
import io.aiops.policy.domain.call.SettledCall;
import java.util.List;

/**
 * The one place the decision and call path maps between the HTTP contract's types ({@code io.aiops.policy.api}) and
 * the domain's ({@code io.aiops.policy.domain.call}, the router's {@code RoutingRule}): the use cases answer in the API's types, the outgoing ports and
 * the domain speak their own. Every mapping keeps each value as it is (null stays null).
 */
public final class ApiMapping {

    private ApiMapping() {}

    /** A routing policy as the router reads it. */
    public static RoutingRule toDomain(RoutingPolicy p) {
        return new RoutingRule(
                p.id(),
                p.project(),
                p.taskKind(),
                p.candidates().stream()
                        .map(t -> new RoutingRule.Target(t.provider(), t.model(), t.timeoutMs()))
                        .toList(),
                p.blockReason());
    }

    /** The decision as the caller sees it, before redaction and fail-open terms are added. */
    public static Decision toApi(CallDecision d) {
        return new Decision(
                d.decisionId(),
                d.allowed(),
                toApi(d.reason()),
                d.reasonMessage(),
                d.candidates().stream().map(ApiMapping::toApi).toList(),
                toApi(d.reservation()),
                toApi(d.settledCall()));
    }

    public static Decision.Candidate toApi(Candidate c) {
        return new Decision.Candidate(c.provider(), c.model(), c.maxOutputTokens(), c.timeoutMs());
    }

    public static io.aiops.policy.api.DenialReason toApi(DenialReason reason) {
        return reason == null
                ? null
                : switch (reason) {
                    case BUDGET_EXCEEDED -> io.aiops.policy.api.DenialReason.BUDGET_EXCEEDED;
                    case POLICY_DENIED -> io.aiops.policy.api.DenialReason.POLICY_DENIED;
                    case MODEL_RETIRED -> io.aiops.policy.api.DenialReason.MODEL_RETIRED;
                };
    }

    public static io.aiops.policy.api.CallStatus toApi(CallStatus status) {
        return status == null
                ? null
                : switch (status) {
                    case SUCCEEDED -> io.aiops.policy.api.CallStatus.SUCCEEDED;
                    case FAILED -> io.aiops.policy.api.CallStatus.FAILED;
                };
    }

    public static CallStatus toDomain(io.aiops.policy.api.CallStatus status) {
        return status == null
                ? null
                : switch (status) {
                    case SUCCEEDED -> CallStatus.SUCCEEDED;
                    case FAILED -> CallStatus.FAILED;
                };
    }

    public static BudgetReservation toApi(Reservation r) {
        return r == null ? null : new BudgetReservation(r.id(), r.amountUsd(), r.expiresAt());
    }

    public static io.aiops.policy.api.SettledCall toApi(SettledCall s) {
        return s == null
                ? null
                : new io.aiops.policy.api.SettledCall(
                        s.callId(), toApi(s.status()), s.provider(), s.model(), s.costUsd(), s.responseText());
    }

    public static OutcomeReceipt toApi(CallReceipt r) {
        return new OutcomeReceipt(r.callId(), r.costUsd(), toApi(r.status()), r.releasedUsd());
    }

    public static CallRecord toApi(RecordedCall c, List<Score> scores) {
        return new CallRecord(
                c.callId(),
                c.decisionId(),
                c.project(),
                c.bpmnProcessId(),
                c.processDefinitionKey(),
                c.processInstanceKey(),
                c.elementId(),
                c.elementInstanceKey(),
                c.jobKey(),
                c.taskKind(),
                toApi(c.status()),
                c.provider(),
                c.model(),
                c.inputTokens(),
                c.cachedInputTokens(),
                c.cacheWriteInputTokens(),
                c.outputTokens(),
                c.reasoningTokens(),
                c.costUsd(),
                c.latencyMs(),
                c.createdAt(),
                c.attempts().stream().map(ApiMapping::toApi).toList(),
                c.unapproved(),
                scores,
                c.traceId());
    }

    public static CallRecord.AttemptRecord toApi(RecordedCall.Attempt a) {
        return new CallRecord.AttemptRecord(
                a.attemptNo(),
                a.provider(),
                a.model(),
                a.inputTokens(),
                a.cachedInputTokens(),
                a.cacheWriteInputTokens(),
                a.outputTokens(),
                a.reasoningTokens(),
                a.latencyMs(),
                toApi(a.status()),
                a.errorClass(),
                a.costUsd());
    }

    public static io.aiops.policy.domain.quality.ScoreType toDomain(io.aiops.policy.api.ScoreType type) {
        return type == null
                ? null
                : switch (type) {
                    case NUMERIC -> io.aiops.policy.domain.quality.ScoreType.NUMERIC;
                    case BOOLEAN -> io.aiops.policy.domain.quality.ScoreType.BOOLEAN;
                    case CATEGORICAL -> io.aiops.policy.domain.quality.ScoreType.CATEGORICAL;
                };
    }

    public static io.aiops.policy.api.ScoreType toApi(io.aiops.policy.domain.quality.ScoreType type) {
        return type == null
                ? null
                : switch (type) {
                    case NUMERIC -> io.aiops.policy.api.ScoreType.NUMERIC;
                    case BOOLEAN -> io.aiops.policy.api.ScoreType.BOOLEAN;
                    case CATEGORICAL -> io.aiops.policy.api.ScoreType.CATEGORICAL;
                };
    }

    public static io.aiops.policy.domain.quality.ScoreSource toDomain(io.aiops.policy.api.ScoreSource source) {
        return source == null
                ? null
                : switch (source) {
                    case RULE -> io.aiops.policy.domain.quality.ScoreSource.RULE;
                    case JUDGE -> io.aiops.policy.domain.quality.ScoreSource.JUDGE;
                    case HUMAN -> io.aiops.policy.domain.quality.ScoreSource.HUMAN;
                    case DOWNSTREAM -> io.aiops.policy.domain.quality.ScoreSource.DOWNSTREAM;
                };
    }

    public static io.aiops.policy.api.ScoreSource toApi(io.aiops.policy.domain.quality.ScoreSource source) {
        return source == null
                ? null
                : switch (source) {
                    case RULE -> io.aiops.policy.api.ScoreSource.RULE;
                    case JUDGE -> io.aiops.policy.api.ScoreSource.JUDGE;
                    case HUMAN -> io.aiops.policy.api.ScoreSource.HUMAN;
                    case DOWNSTREAM -> io.aiops.policy.api.ScoreSource.DOWNSTREAM;
                };
    }
}
