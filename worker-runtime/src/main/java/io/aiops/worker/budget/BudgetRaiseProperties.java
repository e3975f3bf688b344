package io.aiops.worker.budget;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The budget incident workers ({@code aiops.budget-raise.*}): off unless {@code enabled}. {@code apiKey} is an ADMIN key
 * of the policy service (budgets are changed with it, and its name is the actor the audit trail records);
 * {@code maxLimitUsd}, when set, is the highest limit a raise may set without changing this configuration;
 * {@code notifyUrl} receives the incident notice ({@code {"text": …}}, as Slack's incoming webhooks take it).
 */
@ConfigurationProperties("aiops.budget-raise")
public record BudgetRaiseProperties(
        boolean enabled,
        String apiKey,
        BigDecimal maxLimitUsd,
        URI notifyUrl,
        @DefaultValue("30s") Duration retryBackoff) {

    @Override
    public String toString() {
        return "BudgetRaiseProperties[enabled=" + enabled + ", apiKey=****, maxLimitUsd=" + maxLimitUsd + ", notifyUrl="
                + notifyUrl + ", retryBackoff=" + retryBackoff + "]";
    }
}
