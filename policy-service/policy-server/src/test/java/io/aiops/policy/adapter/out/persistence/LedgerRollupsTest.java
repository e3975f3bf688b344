package io.aiops.policy.adapter.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jooq.Record;
import org.junit.jupiter.api.Test;

/**
 * The dashboards' rollups are written with each call and always say what the ledger says: the same cost to the last
 * of its 12 decimals, calls, attempts and tokens, also when outcomes of one hour, element and model race each other.
 */
class LedgerRollupsTest extends PolicyServerTest {

    private void outcome(String project, long instance, List<CallOutcome.Attempt> attempts) {
        DecisionRequest r = request(project, "extract", 100, 100);
        DecisionRequest request = new DecisionRequest(
                r.idempotencyKey(),
                project,
                r.bpmnProcessId(),
                r.processDefinitionKey(),
                instance,
                r.elementId(),
                r.elementInstanceKey(),
                null,
                r.taskKind(),
                null,
                r.estimatedInputTokens(),
                r.maxOutputTokens(),
                r.tags());
        Decision decision = worker.decide(request);
        worker.reportOutcome(decision.decisionId(), new CallOutcome(attempts, Map.of(), null, null));
    }

    private static CallOutcome.Attempt attempt(String model, CallStatus status, long in, long out, long ms) {
        return new CallOutcome.Attempt(
                "acme", model, in, 0L, 0L, out, 0L, ms, status, status == CallStatus.FAILED ? "HTTP_500" : null);
    }

    @Test
    void theRollupsEqualTheLedgerEvenWhenOutcomesRace() throws Exception {
        String project = unique("rollup");
        String a = "a-" + project;
        String b = "b-" + project;
        admin.putModel(new ModelPrice(
                "acme", a, new BigDecimal("0.000000123457"), new BigDecimal("0.000000987654"), null, null, null, null));
        admin.putModel(new ModelPrice(
                "acme", b, new BigDecimal("0.000003"), new BigDecimal("0.000015"), null, null, null, null));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"),
                project,
                null,
                List.of(new RoutingPolicy.Target("acme", a, null), new RoutingPolicy.Target("acme", b, null))));
        long shared = nextKey();
        outcome(project, shared, List.of(attempt(a, CallStatus.SUCCEEDED, 1234, 567, 80)));
        outcome(
                project,
                shared,
                List.of(attempt(a, CallStatus.FAILED, 10, 0, 700), attempt(b, CallStatus.SUCCEEDED, 99, 33, 2500)));
        CLOCK.advance(Duration.ofHours(2));
        List<Callable<Void>> racing = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long tokens = 100 + i;
            racing.add(() -> {
                outcome(project, nextKey(), List.of(attempt(a, CallStatus.SUCCEEDED, tokens, tokens, 120_000)));
                return null;
            });
        }
        race(racing);

        Record ledger = db.fetchOne(
                "SELECT count(DISTINCT c.id) AS calls, count(*) AS attempts, sum(a.cost_usd) AS cost,"
                        + " sum(a.input_tokens) AS input, sum(a.output_tokens) AS output"
                        + " FROM call_attempts a JOIN calls c ON c.id = a.call_id"
                        + " JOIN decisions d ON d.id = c.decision_id WHERE d.project = ?",
                project);
        Record rollup = db.fetchOne(
                "SELECT sum(calls) AS calls, sum(attempts) AS attempts, sum(cost_usd) AS cost,"
                        + " sum(input_tokens) AS input, sum(output_tokens) AS output,"
                        + " sum(failed_over_calls) AS failed_over, sum(failed_attempts) AS failed_attempts,"
                        + " sum(latency_buckets[13]) AS slowest, count(DISTINCT hour) AS hours"
                        + " FROM ledger_hourly WHERE project = ?",
                project);
        assertThat(rollup.get("calls", Long.class))
                .isEqualTo(ledger.get("calls", Long.class))
                .isEqualTo(10L);
        assertThat(rollup.get("attempts", Long.class)).isEqualTo(ledger.get("attempts", Long.class));
        assertThat(rollup.get("cost", BigDecimal.class)).isEqualTo(ledger.get("cost", BigDecimal.class));
        assertThat(rollup.get("input", Long.class)).isEqualTo(ledger.get("input", Long.class));
        assertThat(rollup.get("output", Long.class)).isEqualTo(ledger.get("output", Long.class));
        assertThat(rollup.get("failed_over", Long.class)).isEqualTo(1L);
        assertThat(rollup.get("failed_attempts", Long.class)).isEqualTo(1L);
        // the eight racing calls took two minutes each: past the last bound (60 s)
        assertThat(rollup.get("slowest", Long.class)).isEqualTo(8L);
        assertThat(rollup.get("hours", Long.class)).isEqualTo(2L);

        // the failed-over call counts once, for the model that answered, with both attempts' latency
        Record onB = db.fetchOne(
                "SELECT calls, attempts, latency_ms_sum FROM ledger_hourly WHERE project = ? AND model = ?",
                project,
                b);
        assertThat(onB.get("calls", Long.class)).isEqualTo(1L);
        assertThat(onB.get("latency_ms_sum", Long.class)).isEqualTo(3200L);

        Record instance = db.fetchOne(
                "SELECT calls, cost_usd FROM instance_spend WHERE project = ? AND process_instance_key = ?",
                project,
                shared);
        Record instanceLedger = db.fetchOne(
                "SELECT count(*) AS calls, sum(c.cost_usd) AS cost FROM calls c JOIN decisions d ON d.id = c.decision_id"
                        + " WHERE d.project = ? AND d.process_instance_key = ?",
                project,
                shared);
        assertThat(instance.get("calls", Long.class)).isEqualTo(2L);
        assertThat(instance.get("cost_usd", BigDecimal.class)).isEqualTo(instanceLedger.get("cost", BigDecimal.class));
    }
}
