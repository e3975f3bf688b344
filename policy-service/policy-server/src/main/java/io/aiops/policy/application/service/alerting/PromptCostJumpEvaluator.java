package io.aiops.policy.application.service.alerting;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.application.port.out.AlertRuleStore.StoredRule;
import io.aiops.policy.application.port.out.AlertSignals;
import io.aiops.policy.application.port.out.AlertSignals.PromptUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PROMPT_COST_JUMP: per workflow, element and prompt, the newest version with enough calls in the last 14 days against
 * the version before it: input tokens per call up by more than the rule's percent. Once per version and subject.
 */
final class PromptCostJumpEvaluator implements ScheduledEvaluator {

    /** How far back the versions' calls are counted. */
    static final Duration LOOK_BACK = Duration.ofDays(14);

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final AlertSignals signals;
    private final AlertFiring firing;

    PromptCostJumpEvaluator(AlertSignals signals, AlertFiring firing) {
        this.signals = signals;
        this.firing = firing;
    }

    @Override
    public AlertKind kind() {
        return AlertKind.PROMPT_COST_JUMP;
    }

    @Override
    public int evaluate(StoredRule stored, Instant now) {
        AlertRule rule = stored.rule();
        Map<List<String>, List<PromptUsage>> byPrompt = new LinkedHashMap<>();
        for (PromptUsage usage : signals.promptUsage(rule.project(), rule.bpmnProcessId(), now.minus(LOOK_BACK), now)) {
            if (usage.calls() >= rule.minCalls()) {
                byPrompt.computeIfAbsent(
                                List.of(usage.project(), usage.bpmnProcessId(), usage.elementId(), usage.promptName()),
                                k -> new ArrayList<>())
                        .add(usage);
            }
        }
        int fired = 0;
        for (List<PromptUsage> versions : byPrompt.values()) {
            if (versions.size() < 2) {
                continue;
            }
            // ordered by version: the newest against the one before it
            PromptUsage before = versions.get(versions.size() - 2);
            PromptUsage after = versions.getLast();
            // after/calls > before/calls * (1 + threshold/100), exactly, without dividing
            BigDecimal afterScaled = BigDecimal.valueOf(after.inputTokens())
                    .multiply(BigDecimal.valueOf(before.calls()))
                    .multiply(HUNDRED);
            BigDecimal limit = BigDecimal.valueOf(before.inputTokens())
                    .multiply(BigDecimal.valueOf(after.calls()))
                    .multiply(HUNDRED.add(rule.thresholdPercent()));
            if (afterScaled.compareTo(limit) <= 0) {
                continue;
            }
            BigDecimal perCallBefore = perCall(before);
            BigDecimal perCallAfter = perCall(after);
            BigDecimal risePercent = perCallBefore.signum() == 0
                    ? null
                    : perCallAfter
                            .subtract(perCallBefore)
                            .multiply(HUNDRED)
                            .divide(perCallBefore, 1, RoundingMode.HALF_UP);
            String subject = "workflow:" + after.bpmnProcessId() + "/element:" + after.elementId() + "/prompt:"
                    + after.promptName();
            Map<String, String> details = new LinkedHashMap<>();
            details.put("project", after.project());
            details.put("bpmnProcessId", after.bpmnProcessId());
            details.put("elementId", after.elementId());
            details.put("promptName", after.promptName());
            details.put("previousVersion", String.valueOf(before.promptVersion()));
            details.put("version", String.valueOf(after.promptVersion()));
            details.put("inputTokensPerCallBefore", perCallBefore.toPlainString());
            details.put("inputTokensPerCallAfter", perCallAfter.toPlainString());
            details.put("risePercent", risePercent == null ? "n/a" : risePercent.toPlainString());
            details.put("callsBefore", String.valueOf(before.calls()));
            details.put("callsAfter", String.valueOf(after.calls()));
            String message = "Prompt " + after.promptName() + "@" + after.promptVersion() + " in "
                    + after.bpmnProcessId() + "/" + after.elementId() + " sends " + perCallAfter.toPlainString()
                    + " input tokens per call, against " + perCallBefore.toPlainString() + " with version "
                    + before.promptVersion() + " ("
                    + (risePercent == null ? "up" : "+" + risePercent.toPlainString() + " %")
                    + ", over " + after.calls() + " and " + before.calls() + " calls)";
            if (firing.fire(stored, after.project(), subject, "v" + after.promptVersion(), message, details, now)) {
                fired++;
            }
        }
        return fired;
    }

    private static BigDecimal perCall(PromptUsage usage) {
        return BigDecimal.valueOf(usage.inputTokens())
                .divide(BigDecimal.valueOf(usage.calls()), 1, RoundingMode.HALF_UP);
    }
}
