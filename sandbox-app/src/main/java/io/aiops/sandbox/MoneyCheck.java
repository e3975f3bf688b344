package io.aiops.sandbox;

import io.aiops.policy.api.BudgetReconciliation;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.PolicyClient;
import io.aiops.simulator.SimulatorStats;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether every call the provider was paid for is in the ledger, once: the simulator's own count of answered requests
 * (each one billed by a real provider) against the ledger's succeeded attempts and the AI-task element instances they
 * answered, and whether the sample's HARD budget held.
 *
 * @param callsPaidAtProvider requests the provider answered (transport faults excluded: not billed; an answer with a
 *     quality fault is billed)
 * @param callsInLedger answered attempts in the ledger: succeeded ones and answers the quality gate turned away
 * @param callsPaidTwice answered requests beyond what the AI-task element instances rightly paid for (one accepted
 *     answer each, plus each answer their quality gate turned away)
 * @param outcomesLost answered requests the ledger does not have
 * @param overspendUsd money spent beyond the HARD budget's limit, plus money the budget never saw (calls without a
 *     hold in it)
 * @param unapprovedCalls calls in the ledger a worker made without a decision while the policy service was down
 *     (FAIL_OPEN_CAPPED)
 */
record MoneyCheck(
        long callsPaidAtProvider,
        long callsInLedger,
        long callsPaidTwice,
        long outcomesLost,
        BigDecimal overspendUsd,
        long unapprovedCalls) {

    static MoneyCheck of(SimulatorStats provider, Map<Long, List<CallRecord>> callsByInstance, PolicyClient admin) {
        long paid = provider.answeredRequests();
        long inLedger = 0;
        long unapproved = 0;
        // what each AI-task element instance may rightly have paid for: every answer its quality gate turned away,
        // and one it accepted (a judge's call on it is a task of its own)
        long turnedAway = 0;
        Set<String> answeredTasks = new HashSet<>();
        for (List<CallRecord> calls : callsByInstance.values()) {
            for (CallRecord call : calls) {
                long succeeded = call.attempts().stream()
                        .filter(a -> a.status() == CallStatus.SUCCEEDED)
                        .count();
                long gated = call.attempts().stream()
                        .filter(a -> CallOutcome.QUALITY_GATE.equals(a.errorClass()))
                        .count();
                unapproved += call.unapproved() ? 1 : 0;
                inLedger += succeeded + gated;
                turnedAway += gated;
                if (succeeded > 0) {
                    answeredTasks.add(call.elementInstanceKey() + "/" + call.taskKind());
                }
            }
        }
        long rightlyPaid = answeredTasks.size() + turnedAway;
        BudgetStatus budget = admin.getBudget(LocalStack.SAMPLE_BUDGET);
        BudgetReconciliation reconciliation = admin.reconcileBudget(LocalStack.SAMPLE_BUDGET);
        BigDecimal over = budget.spentUsd()
                .subtract(budget.budget().limitUsd())
                .max(BigDecimal.ZERO)
                .add(reconciliation.costWithoutHoldUsd());
        return new MoneyCheck(paid, inLedger, paid - rightlyPaid, paid - inLedger, over, unapproved);
    }

    void print(PrintStream out) {
        out.printf(
                "Money check: %d calls paid at the provider, %d in the ledger, %d paid twice, %d outcomes lost,"
                        + " %s USD over the HARD budget%s%n",
                callsPaidAtProvider,
                callsInLedger,
                callsPaidTwice,
                outcomesLost,
                overspendUsd.stripTrailingZeros().toPlainString(),
                unapprovedCalls == 0 ? "" : "; " + unapprovedCalls + " made without a decision (unapproved)");
    }

    Map<String, Object> asJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("callsPaidAtProvider", callsPaidAtProvider);
        json.put("callsInLedger", callsInLedger);
        json.put("callsPaidTwice", callsPaidTwice);
        json.put("outcomesLost", outcomesLost);
        json.put("overspendUsd", overspendUsd.stripTrailingZeros());
        json.put("unapprovedCalls", unapprovedCalls);
        return json;
    }
}
