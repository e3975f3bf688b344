package io.aiops.policy.alerts;

import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Calls with chosen models, costs and failures, and the alerts a rule fired, for the alert tests. */
abstract class AlertTestSupport extends PolicyServerTest {

    /** A model priced at $0.001 per input token (output free), so 100 input tokens cost exactly $0.10. */
    protected String model(String name) {
        admin.putModel(new ModelPrice(
                "acme", name, new BigDecimal("0.001"), new BigDecimal("0.000001"), null, null, null, null));
        return name;
    }

    /** One call of the project's ticket-triage workflow with one attempt per status, each on {@code model}. */
    protected Decision call(String project, String model, long inputTokensPerAttempt, CallStatus... statuses) {
        return call(request(project, "classify", 10, 1), model, inputTokensPerAttempt, statuses);
    }

    protected Decision call(DecisionRequest request, String model, long inputTokensPerAttempt, CallStatus... statuses) {
        Decision decision = worker.decide(request);
        List<CallOutcome.Attempt> attempts = new ArrayList<>();
        for (CallStatus status : statuses) {
            attempts.add(new CallOutcome.Attempt(
                    "acme",
                    model,
                    inputTokensPerAttempt,
                    0L,
                    0L,
                    0L,
                    0L,
                    5L,
                    status,
                    status == CallStatus.FAILED ? "SERVER_ERROR" : null));
        }
        worker.reportOutcome(decision.decisionId(), new CallOutcome(attempts, Map.of(), "q", "a"));
        return decision;
    }

    /** A rule with a fresh id; {@code parameters} are pairs of field name and value ("thresholdUsd", "1.00", ...). */
    protected static AlertRule rule(String project, AlertKind kind, Object... parameters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", unique("rule"));
        body.put("project", project);
        body.put("kind", kind.name());
        for (int i = 0; i < parameters.length; i += 2) {
            body.put((String) parameters[i], parameters[i + 1]);
        }
        return PolicyClient.JSON.convertValue(body, AlertRule.class);
    }

    /** The alerts a rule fired in the ten days around the test clock, oldest first. */
    protected List<FiredAlert> alertsOf(String ruleId) {
        List<FiredAlert> fired = new ArrayList<>(admin
                .alerts(
                        CLOCK.instant().minus(Duration.ofDays(9)).toString(),
                        CLOCK.instant().plus(Duration.ofDays(1)).toString(),
                        null)
                .stream()
                .filter(a -> a.ruleId().equals(ruleId))
                .toList());
        return fired.reversed();
    }

    /** Moves the clock past the calls just recorded (the rules look at [now - window, now)). */
    protected static void aMinuteLater() {
        CLOCK.advance(Duration.ofMinutes(1));
    }
}
