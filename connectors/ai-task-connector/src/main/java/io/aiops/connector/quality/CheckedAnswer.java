package io.aiops.connector.quality;

import io.aiops.policy.api.Score;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One answer after the rule checks: the answer read as JSON (null when the task has no schema or it is not JSON), the
 * declared category it names or else the task's fallback category (null when the task declares none, or it names none
 * and there is no fallback), and the scores of the checks.
 */
public record CheckedAnswer(Object json, String category, List<Score> scores) {

    public CheckedAnswer {
        scores = List.copyOf(scores);
    }

    /** The checks by name, true when passed, in the order they ran: what a workflow's gateways read. */
    public Map<String, Boolean> quality() {
        Map<String, Boolean> quality = new LinkedHashMap<>();
        scores.forEach(score -> quality.put(score.name(), score.passed()));
        return quality;
    }
}
