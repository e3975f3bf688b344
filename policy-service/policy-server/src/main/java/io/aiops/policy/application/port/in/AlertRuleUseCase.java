package io.aiops.policy.application.port.in;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.FiredAlert;
import java.util.List;

/** Defines alert rules and lists the alerts they fired, within the caller's projects. */
public interface AlertRuleUseCase {

    AlertRule putRule(String id, AlertRule rule, ApiPrincipal actor);

    AlertRule getRule(String id, ApiPrincipal actor);

    /** Retires the rule: it stops being evaluated and listed; the alerts it fired stay. 404 when there is none. */
    void deleteRule(String id, ApiPrincipal actor);

    /** The rules the caller may see: those of its projects (every rule for a key without a project limit). */
    List<AlertRule> listRules(ApiPrincipal actor);

    /** Alerts fired in [from, to) (ISO instants or dates; default the last 7 days), newest first. */
    List<FiredAlert> alerts(String from, String to, String state, ApiPrincipal actor);
}
