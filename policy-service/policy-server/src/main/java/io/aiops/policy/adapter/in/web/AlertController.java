package io.aiops.policy.adapter.in.web;

import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.application.port.in.AlertRuleUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What fired, when, and whether it reached its channels; a key limited to projects sees their alerts only. */
@RestController
class AlertController {

  private final AlertRuleUseCase alerts;

  AlertController(AlertRuleUseCase alerts) {
    this.alerts = alerts;
  }

  @GetMapping("/api/v1/alerts")
  List<FiredAlert> alerts(
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String state,
      @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
    return alerts.alerts(from, to, state, principal);
  }
}
