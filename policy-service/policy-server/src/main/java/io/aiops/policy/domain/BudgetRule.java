package io.aiops.policy.domain;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** A budget as the decision path uses it: which calls it covers and in which window it counts them. */
public record BudgetRule(BudgetDefinition definition, ZoneId zone) {

    public BudgetRule {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(zone, "zone");
    }

    public String id() {
        return definition.id();
    }

    public boolean hard() {
        return definition.mode() == BudgetMode.HARD;
    }

    /** A model budget counts only the money of the calls' attempts on its model. */
    public boolean modelScoped() {
        return definition.scope() != null && definition.scope().model() != null;
    }

    /**
     * Every caller field of the scope that is set must equal the call's; none set covers the whole organisation. The
     * model part of a scope is matched per candidate by {@link #coversModel}.
     */
    public boolean covers(String project, String bpmnProcessId, Long processDefinitionKey) {
        BudgetScope scope = definition.scope();
        if (scope == null) {
            return true;
        }
        return (scope.project() == null || scope.project().equals(project))
                && (scope.bpmnProcessId() == null || scope.bpmnProcessId().equals(bpmnProcessId))
                && (scope.processDefinitionKey() == null
                        || scope.processDefinitionKey().equals(processDefinitionKey));
    }

    /** True for a model budget whose model (and provider, when set) is this one. */
    public boolean coversModel(String provider, String model) {
        BudgetScope scope = definition.scope();
        return modelScoped()
                && scope.model().equals(model)
                && (scope.provider() == null || scope.provider().equals(provider));
    }

    public BudgetWindow windowAt(Instant instant) {
        return BudgetWindow.containing(instant, definition.period(), zone);
    }
}
