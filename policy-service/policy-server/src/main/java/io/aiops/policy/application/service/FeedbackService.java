package io.aiops.policy.application.service;

import io.aiops.policy.api.CallFeedback;
import io.aiops.policy.api.FeedbackReceipt;
import io.aiops.policy.api.TextRedaction;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RecordFeedbackUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.application.port.out.AuditLog;
import io.aiops.policy.application.port.out.AuditLog.NewAuditEntry;
import io.aiops.policy.application.port.out.ScoreStore;
import io.aiops.policy.domain.audit.AuditKind;
import io.aiops.policy.domain.audit.CanonicalJson;
import io.aiops.policy.domain.quality.CallScore;
import io.aiops.policy.domain.quality.Feedback;
import io.aiops.policy.domain.quality.ScoreSource;
import io.aiops.policy.domain.quality.ScoredCall;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records feedback on a call, whenever it comes (days later is fine: the call is found by id, or as the latest call of
 * the AI task's element in its process instance), once per idempotency key, with one audit entry that carries its
 * scores. The scores keep the rules every score keeps ({@link ScoreRules}); rule checks come only with the outcome.
 */
public class FeedbackService implements RecordFeedbackUseCase {

    private final ScoreStore scores;
    private final RedactionPolicies redactionPolicies;
    private final AuditLog audit;
    private final Clock clock;

    public FeedbackService(ScoreStore scores, RedactionPolicies redactionPolicies, AuditLog audit, Clock clock) {
        this.scores = scores;
        this.redactionPolicies = redactionPolicies;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    @Transactional
    public FeedbackReceipt recordFeedback(CallFeedback feedback, ApiPrincipal actor) {
        ScoredCall call = callOf(feedback, actor);
        for (int i = 0; i < feedback.scores().size(); i++) {
            if (ApiMapping.toDomain(feedback.scores().get(i).source()) == ScoreSource.RULE) {
                throw RequestRejected.invalid(
                        "scores[" + i + "].source",
                        "rule scores come with the call's outcome; feedback is HUMAN, DOWNSTREAM or JUDGE");
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        UUID feedbackId = UUID.randomUUID();
        TextRedaction redaction =
                redactionPolicies.forWorkflow(call.project(), call.where().bpmnProcessId());
        List<CallScore> given = ScoreRules.toLedger(
                "scores", feedback.scores(), call.attempts(), call.callId(), feedbackId, redaction, actor, now);
        Feedback stored =
                new Feedback(feedbackId, call.callId(), feedback.idempotencyKey(), actor.keyId(), actor.name(), now);
        if (!scores.insertFeedbackIfAbsent(stored)) {
            Feedback first = scores.feedbackByKey(call.callId(), feedback.idempotencyKey())
                    .orElseThrow(() -> new IllegalStateException("feedback " + feedback.idempotencyKey() + " on call "
                            + call.callId() + " vanished after a conflict"));
            long count = scores.scoresOf(List.of(call.callId())).getOrDefault(call.callId(), List.of()).stream()
                    .filter(s -> first.id().equals(s.feedbackId()))
                    .count();
            return new FeedbackReceipt(first.id(), call.callId(), (int) count, first.createdAt(), true);
        }
        scores.appendFeedbackScores(stored, given);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("callId", call.callId().toString());
        payload.put("feedbackId", feedbackId.toString());
        payload.put("idempotencyKey", feedback.idempotencyKey());
        payload.put("scores", given.stream().map(ScoreRules::auditForm).toList());
        if (actor.onBehalfOf() != null) {
            payload.put("onBehalfOf", CanonicalJson.wellFormed(actor.onBehalfOf()));
        }
        audit.append(List.of(new NewAuditEntry(
                call.project(),
                AuditKind.CALL_FEEDBACK,
                now,
                actor.keyId(),
                actor.name(),
                call.where(),
                call.decisionId(),
                call.provider(),
                call.model(),
                payload)));
        return new FeedbackReceipt(feedbackId, call.callId(), given.size(), now, false);
    }

    /** The call the feedback names, one way or the other, if the actor may see it. */
    private ScoredCall callOf(CallFeedback feedback, ApiPrincipal actor) {
        boolean byId = feedback.callId() != null;
        boolean byElement = feedback.processInstanceKey() != null || feedback.elementId() != null;
        if (byId == byElement) {
            throw RequestRejected.invalid(
                    "callId",
                    "name the call either by callId or by processInstanceKey and elementId (of the AI task), not "
                            + (byId ? "both" : "neither"));
        }
        ScoredCall call;
        if (byId) {
            call = scores.call(feedback.callId())
                    .orElseThrow(() -> RequestRejected.notFound("no call " + feedback.callId()));
        } else {
            if (feedback.processInstanceKey() == null || feedback.elementId() == null) {
                throw RequestRejected.invalid(
                        feedback.processInstanceKey() == null ? "processInstanceKey" : "elementId",
                        "a call named by its AI task needs both processInstanceKey and elementId");
            }
            call = scores.lastCallOf(feedback.processInstanceKey(), feedback.elementId())
                    .orElseThrow(() -> RequestRejected.notFound("process instance " + feedback.processInstanceKey()
                            + " has no call from element " + feedback.elementId()));
        }
        ProjectAccess.require(actor, call.project(), byId ? "callId" : "processInstanceKey");
        return call;
    }
}
