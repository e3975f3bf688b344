package io.aiops.policy.api;

import static io.aiops.policy.api.RequestLimits.MAX_ALERT_THRESHOLD;
import static io.aiops.policy.api.RequestLimits.MAX_ALERT_THRESHOLDS;

import com.fasterxml.jackson.annotation.JsonCreator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/**
 * A spend limit over a period for the calls its scope matches. HARD denies a decision that would exceed it; SOFT
 * allows and alerts. Periods are calendar days, ISO weeks (from Monday) or months in {@code timeZone} (an IANA zone
 * id such as {@code Europe/Berlin}; default UTC). {@code alertThresholds} are percentages of the limit (e.g. 50, 80,
 * 100) whose crossing is reported.
 */
public record BudgetDefinition(
        @Name String id,
        @Valid BudgetScope scope,
        @NotNull BudgetPeriod period,
        @NotNull @Positive BigDecimal limitUsd,
        @NotNull BudgetMode mode,
        @Name String timeZone,
        @Size(max = MAX_ALERT_THRESHOLDS) List<@NotNull @Min(1) @Max(MAX_ALERT_THRESHOLD) Integer> alertThresholds) {

    @JsonCreator
    public BudgetDefinition {
        alertThresholds = alertThresholds == null ? List.of() : List.copyOf(alertThresholds);
    }

    /** A budget in UTC without alert thresholds. */
    public BudgetDefinition(String id, BudgetScope scope, BudgetPeriod period, BigDecimal limitUsd, BudgetMode mode) {
        this(id, scope, period, limitUsd, mode, null, List.of());
    }

    /**
     * Which calls a budget covers: every field that is set must match; none set means the whole organisation. A budget
     * with {@code model} (optionally with {@code provider}) covers the calls routed to that model: at decision time each
     * candidate model must fit its model budgets, and a candidate that does not is dropped from the failover chain.
     */
    public record BudgetScope(
            @Name String project,
            @Name String bpmnProcessId,
            @Positive Long processDefinitionKey,
            @Name String provider,
            @Name String model) {

        @JsonCreator
        public BudgetScope {}

        /** A scope over a project and/or a workflow. */
        public BudgetScope(String project, String bpmnProcessId) {
            this(project, bpmnProcessId, null, null, null);
        }
    }

    public enum BudgetPeriod {
        DAY,
        WEEK,
        MONTH
    }

    public enum BudgetMode {
        HARD,
        SOFT
    }
}
