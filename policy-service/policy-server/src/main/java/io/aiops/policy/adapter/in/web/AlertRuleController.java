package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.AlertRule;
import io.aiops.policy.application.port.in.AlertRuleUseCase;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.RequestRejected;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Alert rules. A body with a key the server does not know is refused: a misspelt parameter would otherwise leave a
 * rule that never fires, or fires for more than meant.
 */
@RestController
class AlertRuleController {

    private final AlertRuleUseCase rules;
    private final ObjectMapper json;

    AlertRuleController(AlertRuleUseCase rules, ObjectMapper json) {
        this.rules = rules;
        this.json = json;
    }

    @PutMapping("/api/v1/alert-rules/{id}")
    AlertRule put(
            @PathVariable String id,
            // an AlertRule (read as a tree first, for the unknown-key check)
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = AlertRule.class)))
                    @RequestBody
                    JsonNode body,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        if (!body.isObject()) {
            throw RequestRejected.invalid(null, "an alert rule must be a JSON object");
        }
        return rules.putRule(id, JsonBodies.bind(json, body, AlertRule.class, ""), principal);
    }

    @GetMapping("/api/v1/alert-rules/{id}")
    AlertRule get(
            @PathVariable String id,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return rules.getRule(id, principal);
    }

    /** Retires the rule (204): no longer evaluated or listed; the alerts it fired and their deliveries stay. */
    @DeleteMapping("/api/v1/alert-rules/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(
            @PathVariable String id,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        rules.deleteRule(id, principal);
    }

    @GetMapping("/api/v1/alert-rules")
    List<AlertRule> list(@RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return rules.listRules(principal);
    }
}
