package io.aiops.policy.api;

import java.math.BigDecimal;

/**
 * A spend limit over a period for the calls its scope matches. HARD denies a decision that would exceed it; SOFT
 * allows and alerts.
 */
public record BudgetDefinition(
    String id, BudgetScope scope, BudgetPeriod period, BigDecimal limitUsd, BudgetMode mode) {

  /** Which calls a budget covers: every field that is set must match; none set means the whole organisation. */
  public record BudgetScope(String project, String bpmnProcessId) {}

  public enum BudgetPeriod { DAY, WEEK, MONTH }

  public enum BudgetMode { HARD, SOFT }
}
