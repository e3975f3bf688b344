package io.aiops.sandbox;

import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Outcome and spend of a sandbox run, read back from the policy server's ledger: instances completed and ended through
 * a BPMN error, calls and cost per workflow and model, attempts per model and the calls that failed over.
 */
record SpendSummary(
        int instancesCompleted,
        int instancesWithBpmnError,
        int instancesWithIncident,
        int aiCalls,
        int failovers,
        BigDecimal totalCostUsd,
        Map<String, Line> byWorkflowAndModel,
        Map<String, Line> byModel,
        Map<String, Attempts> attemptsByModel) {

    /** Calls, tokens and cost of one group. */
    record Line(int calls, long inputTokens, long outputTokens, BigDecimal costUsd) {
        Line plus(CallRecord call) {
            return new Line(
                    calls + 1,
                    inputTokens + call.inputTokens(),
                    outputTokens + call.outputTokens(),
                    costUsd.add(call.costUsd()));
        }
    }

    /**
     * Physical requests sent to one model and how many of them failed, and the times the model was passed over
     * without a request because its circuit was open.
     */
    record Attempts(int attempts, int failed, int skippedOpenCircuit) {
        Attempts plus(CallRecord.AttemptRecord attempt) {
            if ("CIRCUIT_OPEN".equals(attempt.errorClass())) {
                return new Attempts(attempts, failed, skippedOpenCircuit + 1);
            }
            return new Attempts(
                    attempts + 1, failed + (attempt.status() == CallStatus.FAILED ? 1 : 0), skippedOpenCircuit);
        }

        Attempts plus(Attempts other) {
            return new Attempts(
                    attempts + other.attempts, failed + other.failed, skippedOpenCircuit + other.skippedOpenCircuit);
        }
    }

    static SpendSummary of(List<Long> instanceKeys, Map<Long, List<CallRecord>> callsByInstance) {
        return of(instanceKeys, callsByInstance, Set.of());
    }

    /** {@code instancesWithBpmnError}: the completed instances in which an error event caught a BPMN error. */
    static SpendSummary of(
            List<Long> instanceKeys, Map<Long, List<CallRecord>> callsByInstance, Set<Long> instancesWithBpmnError) {
        return of(instanceKeys, Set.copyOf(instanceKeys), callsByInstance, instancesWithBpmnError, Set.of());
    }

    /**
     * The calls of every started instance (those that ended in an incident made calls too), and how the instances
     * ended: completed (some through a BPMN error) or waiting in an incident.
     */
    static SpendSummary of(
            List<Long> instanceKeys,
            Set<Long> completed,
            Map<Long, List<CallRecord>> callsByInstance,
            Set<Long> instancesWithBpmnError,
            Set<Long> instancesWithIncident) {
        Map<String, Line> byWorkflowAndModel = new TreeMap<>();
        Map<String, Line> byModel = new TreeMap<>();
        Map<String, Attempts> attemptsByModel = new TreeMap<>();
        BigDecimal total = BigDecimal.ZERO;
        int calls = 0;
        int failovers = 0;
        Line empty = new Line(0, 0, 0, BigDecimal.ZERO);
        for (Long key : instanceKeys) {
            for (CallRecord call : callsByInstance.getOrDefault(key, List.of())) {
                String model =
                        call.provider() + "/" + call.model() + (call.status() == CallStatus.FAILED ? " (failed)" : "");
                byWorkflowAndModel.merge(call.bpmnProcessId() + "\t" + model, empty.plus(call), SpendSummary::merge);
                byModel.merge(call.model(), empty.plus(call), SpendSummary::merge);
                for (CallRecord.AttemptRecord attempt : call.attempts()) {
                    attemptsByModel.merge(attempt.model(), new Attempts(0, 0, 0).plus(attempt), Attempts::plus);
                }
                if (call.attempts().stream()
                                .map(CallRecord.AttemptRecord::model)
                                .distinct()
                                .count()
                        > 1) {
                    failovers++;
                }
                total = total.add(call.costUsd());
                calls++;
            }
        }
        int withError = (int) instanceKeys.stream()
                .filter(completed::contains)
                .filter(instancesWithBpmnError::contains)
                .count();
        int withIncident = (int)
                instanceKeys.stream().filter(instancesWithIncident::contains).count();
        int completedCount =
                (int) instanceKeys.stream().filter(completed::contains).count();
        return new SpendSummary(
                completedCount,
                withError,
                withIncident,
                calls,
                failovers,
                total,
                byWorkflowAndModel,
                byModel,
                attemptsByModel);
    }

    private static Line merge(Line a, Line b) {
        return new Line(
                a.calls + b.calls,
                a.inputTokens + b.inputTokens,
                a.outputTokens + b.outputTokens,
                a.costUsd.add(b.costUsd));
    }

    void printTable(PrintStream out) {
        out.println();
        out.printf(
                "%-26s %-28s %6s %10s %10s %14s%n",
                "workflow", "model", "calls", "in tokens", "out tokens", "cost USD");
        byWorkflowAndModel.forEach((key, line) -> {
            String[] parts = key.split("\t", 2);
            out.printf(
                    "%-26s %-28s %6d %10d %10d %14s%n",
                    parts[0], parts[1], line.calls, line.inputTokens, line.outputTokens, plain(line.costUsd));
        });
        out.printf("%-26s %-28s %6d %10s %10s %14s%n", "total", "", aiCalls, "", "", plain(totalCostUsd));
        out.println();
        out.printf("%-28s %10s %10s %14s%n", "requests per model", "attempts", "failed", "circuit open");
        attemptsByModel.forEach(
                (model, a) -> out.printf("%-28s %10d %10d %14d%n", model, a.attempts, a.failed, a.skippedOpenCircuit));
        out.printf(
                "%d instances completed (%d through a BPMN error)%s, %d AI calls, %d failed over to another model%n",
                instancesCompleted,
                instancesWithBpmnError,
                instancesWithIncident == 0 ? "" : ", " + instancesWithIncident + " waiting in an incident",
                aiCalls,
                failovers);
    }

    private static String plain(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }

    Map<String, Object> asJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("instancesCompleted", instancesCompleted);
        json.put("instancesWithBpmnError", instancesWithBpmnError);
        json.put("instancesWithIncident", instancesWithIncident);
        json.put("aiCalls", aiCalls);
        json.put("failovers", failovers);
        json.put("totalCostUsd", totalCostUsd.stripTrailingZeros());
        Map<String, Object> models = new LinkedHashMap<>();
        byModel.forEach((model, line) -> models.put(
                model,
                Map.of(
                        "calls",
                        line.calls,
                        "inputTokens",
                        line.inputTokens,
                        "outputTokens",
                        line.outputTokens,
                        "costUsd",
                        line.costUsd.stripTrailingZeros())));
        json.put("byModel", models);
        Map<String, Object> attempts = new LinkedHashMap<>();
        attemptsByModel.forEach((model, a) -> attempts.put(
                model, Map.of("attempts", a.attempts, "failed", a.failed, "skippedOpenCircuit", a.skippedOpenCircuit)));
        json.put("attemptsByModel", attempts);
        return json;
    }
}
