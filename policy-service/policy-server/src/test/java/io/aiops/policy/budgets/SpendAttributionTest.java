package io.aiops.policy.budgets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.api.SpendReport;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spend per project, workflow, element, model, provider and day from known ledger rows, in one request each. */
class SpendAttributionTest extends PolicyServerTest {

    @Test
    void spendIsGroupedByEveryRequestedDimension() {
        String project = unique("spend");
        String run = unique("run");
        String m1 = "m1-" + project;
        String m2 = "m2-" + project;
        admin.putModel(new ModelPrice(
                "acme", m1, new BigDecimal("0.000001"), new BigDecimal("0.000002"), null, null, null, null));
        admin.putModel(new ModelPrice(
                "acme", m2, new BigDecimal("0.000002"), new BigDecimal("0.000004"), null, null, null, null));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"),
                project,
                null,
                List.of(new RoutingPolicy.Target("acme", m1, null), new RoutingPolicy.Target("acme", m2, null))));
        Instant dayOne = CLOCK.instant();

        // 1000 in + 100 out on m1: 0.0012
        call(project, run, "ticket-triage", "classify", attempt(m1, 1000, 100, true));
        // failed on m1 after 100 input tokens (0.0001), then m2 with 1000 in + 200 out (0.0028)
        call(project, run, "ticket-triage", "classify", attempt(m1, 100, 0, false), attempt(m2, 1000, 200, true));
        // 500 in + 50 out on m2: 0.0012
        call(project, run, "invoice-check", "summarise", attempt(m2, 500, 50, true));
        CLOCK.advance(Duration.ofDays(1));
        // the next day, 2000 in on m1: 0.002
        call(project, run, "ticket-triage", "classify", attempt(m1, 2000, 0, true));
        String from = dayOne.minusSeconds(1).toString();
        String to = CLOCK.instant().plusSeconds(1).toString();
        List<String> tag = List.of("run:" + run);

        SpendReport byWorkflow = viewer.spend(from, to, "workflow", tag);
        assertThat(byWorkflow.total().calls()).isEqualTo(4);
        assertThat(byWorkflow.total().attempts()).isEqualTo(5);
        assertThat(byWorkflow.total().costUsd()).isEqualByComparingTo("0.0073");
        assertThat(figures(byWorkflow))
                .containsExactly(
                        "workflow=invoice-check calls=1 attempts=1 in=500 out=50 cost=0.0012",
                        "workflow=ticket-triage calls=3 attempts=4 in=4100 out=300 cost=0.0061");

        // a call that failed over counts with each model it tried, with that model's part of the cost
        assertThat(figures(viewer.spend(from, to, "model", tag)))
                .containsExactly(
                        "model=" + m1 + " calls=3 attempts=3 in=3100 out=100 cost=0.0033",
                        "model=" + m2 + " calls=2 attempts=2 in=1500 out=250 cost=0.004");

        String firstDay = dayOne.toString().substring(0, 10);
        String secondDay = CLOCK.instant().toString().substring(0, 10);
        assertThat(figures(viewer.spend(from, to, "day,element", tag)))
                .containsExactly(
                        "day=" + firstDay + " element=classify calls=2 attempts=3 in=2100 out=300 cost=0.0041",
                        "day=" + firstDay + " element=summarise calls=1 attempts=1 in=500 out=50 cost=0.0012",
                        "day=" + secondDay + " element=classify calls=1 attempts=1 in=2000 out=0 cost=0.002");

        assertThat(figures(viewer.spend(from, to, "project,provider", tag)))
                .containsExactly(
                        "project=" + project + " provider=acme calls=4 attempts=5 in=4600 out=350 cost=0.0073");

        // only the second day
        SpendReport secondDayOnly = viewer.spend(secondDay, to, "", tag);
        assertThat(secondDayOnly.groups()).isEmpty();
        assertThat(secondDayOnly.total().calls()).isEqualTo(1);
        assertThat(secondDayOnly.total().costUsd()).isEqualByComparingTo("0.002");
    }

    @Test
    void unknownDimensionsAndBadTimesAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> viewer.spend(null, null, "project,colour", List.of()))
                .isInstanceOfSatisfying(PolicyServiceException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("groupBy");
                });
        assertThatThrownBy(() -> viewer.spend("last tuesday", null, null, List.of()))
                .isInstanceOfSatisfying(
                        PolicyServiceException.class, e -> assertThat(e.field()).isEqualTo("from"));
        assertThatThrownBy(() -> viewer.spend(null, null, null, List.of("no-colon")))
                .isInstanceOfSatisfying(
                        PolicyServiceException.class, e -> assertThat(e.field()).isEqualTo("tag"));
    }

    private void call(String project, String run, String workflow, String element, CallOutcome.Attempt... attempts) {
        long key = nextKey();
        Decision decision = worker.decide(new DecisionRequest(
                "ei:" + key + ":1",
                project,
                workflow,
                7L,
                nextKey(),
                element,
                key,
                null,
                "classify",
                null,
                100,
                100,
                Map.of("run", run)));
        worker.reportOutcome(decision.decisionId(), new CallOutcome(List.of(attempts), Map.of(), null, "ok"));
    }

    private static CallOutcome.Attempt attempt(String model, long input, long output, boolean succeeded) {
        return new CallOutcome.Attempt(
                "acme",
                model,
                input,
                0L,
                0L,
                output,
                0L,
                5L,
                succeeded ? CallStatus.SUCCEEDED : CallStatus.FAILED,
                succeeded ? null : "TIMEOUT");
    }

    private static List<String> figures(SpendReport report) {
        return report.groups().stream()
                .map(g -> String.join(
                                " ",
                                report.groupBy().stream()
                                        .map(d -> d + "=" + g.key().get(d))
                                        .toList())
                        + " calls=" + g.calls() + " attempts=" + g.attempts() + " in=" + g.inputTokens() + " out="
                        + g.outputTokens() + " cost=" + g.costUsd().toPlainString())
                .toList();
    }
}
