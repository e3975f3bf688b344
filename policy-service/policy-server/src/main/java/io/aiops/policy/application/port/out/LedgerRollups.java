package io.aiops.policy.application.port.out;

import io.aiops.policy.domain.SpendDimension;
import io.aiops.policy.domain.report.InstanceSpend;
import io.aiops.policy.domain.report.LedgerFigures;
import java.time.Instant;
import java.util.List;

/**
 * Reads the hourly rollups of the call ledger (kept in the transaction that records each call), for reports that
 * span weeks of calls. Ranges are read by whole UTC hours: {@code from} and {@code to} are rounded down to the hour.
 */
public interface LedgerRollups {

    /** Whose calls: the projects' (empty: every project), of one workflow when {@code workflow} is set. */
    record Scope(List<String> projects, String workflow) {

        public Scope {
            projects = List.copyOf(projects);
        }
    }

    /** A group's key (one value per requested dimension, in order) and figures. */
    record Group(List<String> key, LedgerFigures figures) {}

    /** Whether the scope has any call at all, at any time. */
    boolean hasCalls(Scope scope);

    LedgerFigures total(Instant from, Instant to, Scope scope);

    /**
     * Figures per group of {@code dimensions} (any of project, workflow, element, provider, model, day), ordered by
     * key.
     */
    List<Group> grouped(Instant from, Instant to, Scope scope, List<SpendDimension> dimensions);

    /** The instances with calls in the range that cost most (over all their calls), most expensive first. */
    List<InstanceSpend> costliestInstances(Instant from, Instant to, Scope scope, int limit);
}
