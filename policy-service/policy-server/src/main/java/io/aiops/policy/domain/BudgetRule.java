package io.aiops.policy.domain;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
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

  /** Every scope field that is set must equal the call's; none set covers the whole organisation. */
  public boolean covers(String project, String bpmnProcessId) {
    BudgetDefinition.BudgetScope scope = definition.scope();
    if (scope == null) {
      return true;
    }
    return (scope.project() == null || scope.project().equals(project))
        && (scope.bpmnProcessId() == null || scope.bpmnProcessId().equals(bpmnProcessId));
  }

  public BudgetWindow windowAt(Instant instant) {
    return BudgetWindow.containing(instant, definition.period(), zone);
  }
}
