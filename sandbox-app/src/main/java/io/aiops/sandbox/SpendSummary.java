package io.aiops.sandbox;

import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Spend of a sandbox run per workflow and model, read back from the policy server's ledger. */
record SpendSummary(int instancesCompleted, int aiCalls, BigDecimal totalCostUsd, Map<String, Line> byWorkflowAndModel,
    Map<String, Line> byModel) {

  /** Calls, tokens and cost of one group. */
  record Line(int calls, long inputTokens, long outputTokens, BigDecimal costUsd) {
    Line plus(CallRecord call) {
      return new Line(calls + 1, inputTokens + call.inputTokens(), outputTokens + call.outputTokens(),
          costUsd.add(call.costUsd()));
    }
  }

  static SpendSummary of(List<Long> instanceKeys, Map<Long, List<CallRecord>> callsByInstance) {
    Map<String, Line> byWorkflowAndModel = new TreeMap<>();
    Map<String, Line> byModel = new TreeMap<>();
    BigDecimal total = BigDecimal.ZERO;
    int calls = 0;
    Line empty = new Line(0, 0, 0, BigDecimal.ZERO);
    for (Long key : instanceKeys) {
      for (CallRecord call : callsByInstance.getOrDefault(key, List.of())) {
        String model = call.provider() + "/" + call.model() + (call.status() == CallStatus.FAILED ? " (failed)" : "");
        byWorkflowAndModel.merge(call.bpmnProcessId() + "\t" + model, empty.plus(call), SpendSummary::merge);
        byModel.merge(call.model(), empty.plus(call), SpendSummary::merge);
        total = total.add(call.costUsd());
        calls++;
      }
    }
    return new SpendSummary(instanceKeys.size(), calls, total, byWorkflowAndModel, byModel);
  }

  private static Line merge(Line a, Line b) {
    return new Line(a.calls + b.calls, a.inputTokens + b.inputTokens, a.outputTokens + b.outputTokens,
        a.costUsd.add(b.costUsd));
  }

  void printTable(PrintStream out) {
    out.println();
    out.printf("%-26s %-28s %6s %10s %10s %14s%n", "workflow", "model", "calls", "in tokens", "out tokens", "cost USD");
    byWorkflowAndModel.forEach((key, line) -> {
      String[] parts = key.split("\t", 2);
      out.printf("%-26s %-28s %6d %10d %10d %14s%n", parts[0], parts[1], line.calls, line.inputTokens,
          line.outputTokens, plain(line.costUsd));
    });
    out.printf("%-26s %-28s %6d %10s %10s %14s%n", "total", "", aiCalls, "", "", plain(totalCostUsd));
    out.printf("%d instances completed, %d AI calls%n", instancesCompleted, aiCalls);
  }

  private static String plain(BigDecimal amount) {
    return amount.stripTrailingZeros().toPlainString();
  }

  Map<String, Object> asJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("instancesCompleted", instancesCompleted);
    json.put("aiCalls", aiCalls);
    json.put("totalCostUsd", totalCostUsd.stripTrailingZeros());
    Map<String, Object> models = new LinkedHashMap<>();
    byModel.forEach((model, line) -> models.put(model, Map.of(
        "calls", line.calls, "inputTokens", line.inputTokens, "outputTokens", line.outputTokens,
        "costUsd", line.costUsd.stripTrailingZeros())));
    json.put("byModel", models);
    return json;
  }
}
