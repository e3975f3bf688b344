package io.aiops.worker.budget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.PolicyClient;
import java.math.BigDecimal;

/**
 * What a budget-raise job asks for, read from the job's variables: {@code budgetId}, {@code newLimitUsd} (a decimal
 * string or number, read exactly), {@code approvedBy} (who approved the raise) and an optional {@code approvalNote}.
 */
public record BudgetRaiseRequest(String budgetId, BigDecimal newLimitUsd, String approvedBy, String approvalNote) {

    /** The policy service's own bound on a limit's decimal places. */
    static final int MAX_SCALE = 12;

    /** Reads and checks the job's variables (JSON); a missing or malformed one is refused naming it. */
    public static BudgetRaiseRequest fromVariables(String variablesJson) {
        JsonNode variables;
        try {
            variables = PolicyClient.JSON.readTree(variablesJson == null ? "{}" : variablesJson);
        } catch (JsonProcessingException e) {
            throw invalid("the job's variables are not JSON: " + e.getOriginalMessage());
        }
        String budgetId = text(variables, "budgetId");
        String approvedBy = text(variables, "approvedBy");
        // the approver is named in the policy audit entry of the raise: the service's bounds on that name, checked here
        if (approvedBy.codePointCount(0, approvedBy.length()) > PolicyClient.MAX_ON_BEHALF_OF_CHARS
                || !PolicyClient.looksLikeAName(approvedBy)) {
            throw invalid("approvedBy must be a name of at most " + PolicyClient.MAX_ON_BEHALF_OF_CHARS
                    + " characters without control or invisible formatting characters");
        }
        JsonNode note = variables.path("approvalNote");
        return new BudgetRaiseRequest(
                budgetId,
                limit(variables.path("newLimitUsd")),
                approvedBy,
                note.isTextual() && !note.asText().isBlank() ? note.asText() : null);
    }

    private static String text(JsonNode variables, String name) {
        JsonNode value = variables.path(name);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid(name + " is required (a non-blank text)");
        }
        return value.asText().strip();
    }

    private static BigDecimal limit(JsonNode value) {
        BigDecimal limit;
        if (value.isNumber()) {
            limit = value.decimalValue();
        } else if (value.isTextual()) {
            try {
                limit = new BigDecimal(value.asText().strip());
            } catch (NumberFormatException e) {
                throw invalid("newLimitUsd '" + value.asText() + "' is not a decimal number");
            }
        } else {
            throw invalid("newLimitUsd is required (a decimal number of US dollars)");
        }
        if (limit.signum() <= 0) {
            throw invalid("newLimitUsd must be positive, not " + limit.toPlainString());
        }
        if (limit.stripTrailingZeros().scale() > MAX_SCALE) {
            throw invalid("newLimitUsd has more than " + MAX_SCALE + " decimal places: " + limit.toPlainString());
        }
        return limit;
    }

    private static BudgetRaiseRefused invalid(String message) {
        return new BudgetRaiseRefused(BudgetRaiseRefused.INVALID, message);
    }
}
