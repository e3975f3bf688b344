package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.BudgetUseCase;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Budgets with the figures of their current window. */
@RestController
@RequestMapping("/api/v1/budgets/{id}")
class BudgetController {

  private final BudgetUseCase budgets;

  BudgetController(BudgetUseCase budgets) {
    this.budgets = budgets;
  }

  @PutMapping
  BudgetStatus put(
      @PathVariable String id, @RequestBody BudgetDefinition definition, @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
    return budgets.putBudget(id, definition, principal);
  }

  @GetMapping
  BudgetStatus get(@PathVariable String id, @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
    return budgets.getBudget(id, principal);
  }
}
