package io.aiops.policy.application.service;

import io.aiops.policy.api.CallRecord;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.CallHistoryQuery;
import io.aiops.policy.application.port.out.CallLedger;
import io.aiops.policy.application.port.out.ScoreStore;
import io.aiops.policy.domain.StoredText;
import io.aiops.policy.domain.call.RecordedCall;
import io.aiops.policy.domain.quality.CallScore;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;

/** Reads the ledger of a process instance, each call with its scores. */
public class CallHistoryService implements CallHistoryQuery {

    private final CallLedger ledger;
    private final ScoreStore scores;

    public CallHistoryService(CallLedger ledger, ScoreStore scores) {
        this.ledger = ledger;
        this.scores = scores;
    }

    @Override
    @Transactional(readOnly = true)
    public List<CallRecord> callsOfProcessInstance(long processInstanceKey, ApiPrincipal actor) {
        List<RecordedCall> calls = ledger.callsOfProcessInstance(processInstanceKey);
        // an instance belongs to one project; a key of another project learns nothing, not even which calls exist
        calls.forEach(call -> ProjectAccess.require(actor, call.project(), "processInstanceKey"));
        Map<UUID, List<CallScore>> scored =
                scores.scoresOf(calls.stream().map(RecordedCall::callId).toList());
        return calls.stream()
                .map(call -> ApiMapping.toApi(
                        call,
                        scored.getOrDefault(call.callId(), List.of()).stream()
                                .map(ScoreRules::toApi)
                                .toList()))
                .toList();
    }

    @Override
    @Transactional(readOnly = true)
    public Map<UUID, CallTexts> textsOfProcessInstance(long processInstanceKey, ApiPrincipal actor) {
        List<RecordedCall> calls = ledger.callsOfProcessInstance(processInstanceKey);
        calls.forEach(call -> ProjectAccess.require(actor, call.project(), "processInstanceKey"));
        Map<UUID, CallTexts> texts = new java.util.LinkedHashMap<>();
        ledger.textsOf(calls.stream().map(RecordedCall::callId).toList())
                .forEach((id, stored) -> texts.put(
                        id,
                        new CallTexts(
                                stored.requestText() == null ? null : StoredText.decode(stored.requestText()),
                                stored.responseText() == null ? null : StoredText.decode(stored.responseText()))));
        return texts;
    }
}
