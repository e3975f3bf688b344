package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertSignals.ModelCalls;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** MODEL_SHARE_JUMP: a model's share of a workflow's calls in the last day rose by more than the rule's percentage points over the 7 days before; once a day per workflow and model. */
final class ModelShareJumpEvaluator implements ScheduledEvaluator {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final Duration SHARE_RECENT = Duration.ofDays(1);
    private static final Duration SHARE_BASELINE = Duration.ofDays(7);

    private final AlertSignals signals;
    private final AlertFiring firing;

    ModelShareJumpEvaluator(AlertSignals signals, AlertFiring firing) {
        this.signals = signals;
        this.firing = firing;
    }

    @Override
    public AlertKind kind() {
        return AlertKind.MODEL_SHARE_JUMP;
    }

    @Override
    public int evaluate(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        Instant recentStart = now.minus(SHARE_RECENT);
        Map<String, List<ModelCalls>> recent =
                byWorkflow(signals.modelCalls(rule.project(), rule.bpmnProcessId(), recentStart, now));
        Map<String, List<ModelCalls>> baseline = byWorkflow(signals.modelCalls(
                rule.project(), rule.bpmnProcessId(), recentStart.minus(SHARE_BASELINE), recentStart));
        String day = now.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        int fired = 0;
        for (Map.Entry<String, List<ModelCalls>> workflow : recent.entrySet()) {
            long recentTotal =
                    workflow.getValue().stream().mapToLong(ModelCalls::calls).sum();
            List<ModelCalls> before = baseline.getOrDefault(workflow.getKey(), List.of());
            long baselineTotal = before.stream().mapToLong(ModelCalls::calls).sum();
            // without a baseline every model "jumps" from nothing: that is NEW_MODEL_FOR_WORKFLOW's case, not this
            // one's
            if (recentTotal < rule.minCalls() || baselineTotal == 0) {
                continue;
            }
            for (ModelCalls modelNow : workflow.getValue()) {
                long earlier = before.stream()
                        .filter(m -> m.provider().equals(modelNow.provider())
                                && m.model().equals(modelNow.model()))
                        .mapToLong(ModelCalls::calls)
                        .sum();
                // (now/recentTotal - earlier/baselineTotal) * 100 > threshold, multiplied out to stay exact
                BigDecimal jumpTimesTotals = BigDecimal.valueOf(
                                modelNow.calls() * baselineTotal - earlier * recentTotal)
                        .multiply(HUNDRED);
                BigDecimal limit = rule.thresholdPercent().multiply(BigDecimal.valueOf(recentTotal * baselineTotal));
                if (jumpTimesTotals.compareTo(limit) <= 0) {
                    continue;
                }
                BigDecimal shareNow = share(modelNow.calls(), recentTotal);
                BigDecimal shareBefore = share(earlier, baselineTotal);
                String model = modelNow.provider() + "/" + modelNow.model();
                Map<String, String> details = new LinkedHashMap<>();
                details.put("project", modelNow.project());
                details.put("bpmnProcessId", modelNow.bpmnProcessId());
                details.put("provider", modelNow.provider());
                details.put("model", modelNow.model());
                details.put("sharePercentLastDay", shareNow.toPlainString());
                details.put("sharePercentPrevious7Days", shareBefore.toPlainString());
                details.put("callsLastDay", String.valueOf(recentTotal));
                details.put("thresholdPercentPoints", rule.thresholdPercent().toPlainString());
                String message = "Model " + model + " served " + shareNow.toPlainString() + " % of workflow "
                        + modelNow.bpmnProcessId() + "'s calls in the last day, up from " + shareBefore.toPlainString()
                        + " % over the 7 days before";
                if (firing.fire(
                        stored,
                        modelNow.project(),
                        AlertFiring.workflowModel(modelNow.project(), modelNow.bpmnProcessId(), model),
                        day,
                        message,
                        details,
                        now)) {
                    fired++;
                }
            }
        }
        return fired;
    }

    private static Map<String, List<ModelCalls>> byWorkflow(List<ModelCalls> calls) {
        return calls.stream()
                .collect(Collectors.groupingBy(
                        c -> c.project() + "\u0000" + c.bpmnProcessId(), LinkedHashMap::new, Collectors.toList()));
    }

    private static BigDecimal share(long part, long total) {
        return BigDecimal.valueOf(part).multiply(HUNDRED).divide(BigDecimal.valueOf(total), 1, RoundingMode.HALF_UP);
    }
}
