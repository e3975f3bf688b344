package io.aiops.policy.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Quality of the calls made in {@code [from, to)}, grouped by the requested dimensions (project, workflow, element,
 * model, provider, day). A score counts for the model of the attempt it scored; feedback (about the call as a whole)
 * for the model that answered.
 */
public record QualityReport(Instant from, Instant to, List<String> groupBy, List<Group> groups) {

    public QualityReport {
        groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /**
     * One group. {@code successfulCalls} answered with no failed check or verdict on the answer that was used (a
     * turned-away answer of an earlier attempt does not count against the call); {@code costPerSuccessfulCallUsd} is
     * the group's whole cost (turned-away answers included) divided by them, null when there are none.
     * {@code feedbackCalls} got feedback, {@code acceptedCalls} of those no failed verdict.
     */
    public record Group(
            Map<String, String> key,
            long calls,
            long succeededCalls,
            long successfulCalls,
            BigDecimal costUsd,
            BigDecimal costPerSuccessfulCallUsd,
            long feedbackCalls,
            long acceptedCalls,
            List<ScoreSummary> scores) {

        public Group {
            // a value may be null: calls built from no registered prompt, grouped by prompt
            key = key == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(key));
            scores = scores == null ? List.of() : List.copyOf(scores);
        }
    }

    /**
     * The scores of one name and source in a group: how many, their mean value (NUMERIC and BOOLEAN), and for BOOLEAN
     * scores how many passed ({@code passRate} = passed / count). Categorical scores have a count only.
     */
    public record ScoreSummary(
            String name,
            ScoreSource source,
            ScoreType type,
            long count,
            BigDecimal mean,
            Long passed,
            BigDecimal passRate) {}
}
