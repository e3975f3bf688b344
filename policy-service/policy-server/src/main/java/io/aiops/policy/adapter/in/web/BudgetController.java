package io.aiops.policy.adapter.in.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetReconciliation;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.Name;
import io.aiops.policy.application.port.in.ApiPrincipal;
import io.aiops.policy.application.port.in.BudgetUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Budgets with the figures of their current window. A budget body with a key the server does not know is refused:
 * silently ignoring a misspelt scope key would widen the budget to more calls than meant.
 */
@RestController
@RequestMapping("/api/v1/budgets/{id}")
class BudgetController {

    private final BudgetUseCase budgets;
    private final ObjectMapper json;
    private final Validator validator;

    BudgetController(BudgetUseCase budgets, ObjectMapper json, Validator validator) {
        this.budgets = budgets;
        this.json = json;
        this.validator = validator;
    }

    @PutMapping
    BudgetStatus put(
            @PathVariable @Name String id,
            // a BudgetDefinition (read as a tree first, for the unknown-key check)
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = BudgetDefinition.class)))
                    @RequestBody
                    JsonNode body,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        checkShape(body, "");
        BudgetDefinition definition = JsonBodies.bind(json, body, BudgetDefinition.class, "");
        // bound by hand (for the unknown-key check above), so validated by hand with the same rules as @Valid bodies
        Set<ConstraintViolation<BudgetDefinition>> violations = validator.validate(definition);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return budgets.putBudget(id, definition, principal);
    }

    /**
     * A budget definition is an object, and so is its scope: said plainly instead of as a binding error. Shared with
     * policy bundles, whose budgets sit at {@code prefix} ({@code budgets[2].}).
     */
    static void checkShape(JsonNode body, String prefix) {
        if (!body.isObject()) {
            throw RequestRejected.invalid(
                    prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1),
                    "a budget definition must be a JSON object");
        }
        JsonNode scope = body.get("scope");
        if (scope != null && !scope.isNull() && !scope.isObject()) {
            throw RequestRejected.invalid(prefix + "scope", prefix + "scope must be an object");
        }
    }

    @GetMapping
    BudgetStatus get(
            @PathVariable @Name String id,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return budgets.getBudget(id, principal);
    }

    @GetMapping("/reconcile")
    BudgetReconciliation reconcile(
            @PathVariable @Name String id,
            @RequestAttribute(ApiKeyAuthenticationFilter.PRINCIPAL_ATTRIBUTE) ApiPrincipal principal) {
        return budgets.reconcile(id, principal);
    }
}
