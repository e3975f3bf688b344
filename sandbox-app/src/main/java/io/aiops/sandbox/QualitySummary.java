package io.aiops.sandbox;

import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreType;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The quality side of a sandbox run, from the ledger's scores: per workflow and model the answers scored, the boolean
 * checks and verdicts they got and how many failed (a score counts for the model of the attempt it scored).
 */
final class QualitySummary {

    /** The checks of one workflow and model, or of one model over all workflows. */
    static final class Line {
        final Set<String> answers = new HashSet<>();
        long checks;
        long failed;
        final Map<String, Long> failedByCheck = new TreeMap<>();

        void add(String answer, Score score) {
            answers.add(answer);
            checks++;
            if (score.failed()) {
                failed++;
                failedByCheck.merge(score.name(), 1L, Long::sum);
            }
        }

        String passRatePercent() {
            return checks == 0
                    ? "n/a"
                    : BigDecimal.valueOf((checks - failed) * 100)
                            .divide(BigDecimal.valueOf(checks), 1, RoundingMode.HALF_UP)
                            .toPlainString();
        }
    }

    private final Map<String, Line> byWorkflowAndModel = new TreeMap<>();
    private final Map<String, Line> byModel = new TreeMap<>();

    static QualitySummary of(Map<Long, List<CallRecord>> callsByInstance) {
        QualitySummary summary = new QualitySummary();
        callsByInstance.values().stream().flatMap(List::stream).forEach(call -> {
            for (Score score : call.scores()) {
                if (score.type() != ScoreType.BOOLEAN) {
                    continue;
                }
                // a verdict on the call as a whole is about the answer the call returned
                int attemptNo = score.attemptNo() != null ? score.attemptNo() : answeredAttempt(call);
                String model = modelOf(call, attemptNo);
                String answer = call.callId() + "/" + attemptNo;
                summary.byWorkflowAndModel
                        .computeIfAbsent(call.bpmnProcessId() + "\t" + model, k -> new Line())
                        .add(answer, score);
                summary.byModel.computeIfAbsent(model, k -> new Line()).add(answer, score);
            }
        });
        return summary;
    }

    private static String modelOf(CallRecord call, int attemptNo) {
        for (CallRecord.AttemptRecord attempt : call.attempts()) {
            if (attempt.attemptNo() == attemptNo) {
                return attempt.model();
            }
        }
        return call.model();
    }

    /** The call's first succeeded attempt, else its last. */
    private static int answeredAttempt(CallRecord call) {
        return call.attempts().stream()
                .filter(a -> a.status() == io.aiops.policy.api.CallStatus.SUCCEEDED)
                .mapToInt(CallRecord.AttemptRecord::attemptNo)
                .findFirst()
                .orElse(call.attempts().size());
    }

    void printTable(PrintStream out) {
        if (byWorkflowAndModel.isEmpty()) {
            return;
        }
        out.println();
        out.printf(
                "%-26s %-28s %8s %8s %8s %10s%n", "quality: workflow", "model", "answers", "checks", "failed", "pass");
        byWorkflowAndModel.forEach((key, line) -> {
            String[] parts = key.split("\t", 2);
            out.printf(
                    "%-26s %-28s %8d %8d %8d %8s %%%s%n",
                    parts[0],
                    parts[1],
                    line.answers.size(),
                    line.checks,
                    line.failed,
                    line.passRatePercent(),
                    line.failedByCheck.isEmpty() ? "" : "  failed: " + line.failedByCheck);
        });
    }

    /** {@code qualityByModel}: per model the answers, checks, failed checks (by name) and the pass rate. */
    Map<String, Object> asJson() {
        Map<String, Object> models = new LinkedHashMap<>();
        byModel.forEach((model, line) -> {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("answers", line.answers.size());
            figures.put("checks", line.checks);
            figures.put("failed", line.failed);
            figures.put("passRatePercent", line.passRatePercent());
            figures.put("failedByCheck", line.failedByCheck);
            models.put(model, figures);
        });
        return Map.of("qualityByModel", models);
    }
}
