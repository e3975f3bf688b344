package io.aiops.policy.application.service.fakes;

import io.aiops.policy.application.port.out.CallLedger;
import io.aiops.policy.domain.Money;
import io.aiops.policy.domain.call.CallReceipt;
import io.aiops.policy.domain.call.RecordedCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The call ledger in a map: at most one call per decision (the {@code calls_one_per_decision} constraint), read back
 * as the receipt the first outcome got. {@link #callsOfProcessInstance} joins the decisions in SQL and is not faked.
 */
public final class InMemoryCallLedger implements CallLedger {

    private final Map<UUID, NewCall> byDecision = new LinkedHashMap<>();

    @Override
    public Optional<CallReceipt> receiptOf(UUID decisionId) {
        return callOf(decisionId)
                .map(c -> new CallReceipt(c.id(), Money.shown(c.costUsd()), c.status(), Money.shown(c.releasedUsd())));
    }

    @Override
    public boolean insertIfAbsent(NewCall call) {
        return byDecision.putIfAbsent(call.decisionId(), call) == null;
    }

    @Override
    public List<RecordedCall> callsOfProcessInstance(long processInstanceKey) {
        throw new UnsupportedOperationException("not faked: it joins the decisions in SQL");
    }

    @Override
    public Map<UUID, StoredTexts> textsOf(List<UUID> callIds) {
        Map<UUID, StoredTexts> texts = new LinkedHashMap<>();
        byDecision.values().stream()
                .filter(c -> callIds.contains(c.id()))
                .forEach(c -> texts.put(c.id(), new StoredTexts(c.requestText(), c.responseText())));
        return texts;
    }

    /** The call recorded for the decision, as written. */
    public Optional<NewCall> callOf(UUID decisionId) {
        return Optional.ofNullable(byDecision.get(decisionId));
    }

    /** Every recorded call, oldest first. */
    public List<NewCall> calls() {
        return List.copyOf(byDecision.values());
    }
}
