package io.aiops.policy.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Spend over {@code [from, to)} grouped by the requested dimensions (project, workflow, element, model, provider,
 * day): per group the calls, attempts, tokens and cost, plus the total over all groups. A call that failed over
 * between models counts in the group of each model it tried, with the cost of its attempts there.
 */
public record SpendReport(Instant from, Instant to, List<String> groupBy, List<Group> groups, Group total) {

    public SpendReport {
        groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** One group: its key (dimension name to value) and its figures. */
    public record Group(
            Map<String, String> key,
            long calls,
            long attempts,
            long inputTokens,
            long outputTokens,
            BigDecimal costUsd) {

        public Group {
            // a value may be null: calls built from no registered prompt, grouped by prompt
            key = key == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(key));
        }
    }
}
