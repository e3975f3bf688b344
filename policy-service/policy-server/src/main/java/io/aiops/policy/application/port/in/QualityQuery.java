package io.aiops.policy.application.port.in;

import io.aiops.policy.api.QualityReport;

/** "Are the answers any good, and what does a good one cost": quality per group over a time range. */
public interface QualityQuery {

    /**
     * @param from the range's start (ISO instant or date; default: 7 days before {@code to})
     * @param to its end (default: now)
     * @param groupBy comma-separated dimensions: project, workflow, processDefinition, element, model, provider, day
     * @throws RequestRejected naming a parameter that cannot be read
     */
    QualityReport quality(String from, String to, String groupBy, ApiPrincipal actor);
}
