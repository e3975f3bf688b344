package io.aiops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SpendSummaryTest {

    @Test
    void countsFailoversAttemptsPerModelAndInstancesThatEndedThroughABpmnError() {
        CallRecord failedOver = call(
                1L,
                CallStatus.SUCCEEDED,
                "gpt-4o",
                "0.000030",
                attempt(1, "gpt-4o-mini", CallStatus.FAILED, "OVERLOADED"),
                attempt(2, "gpt-4o-mini", CallStatus.FAILED, "OVERLOADED"),
                attempt(3, "gpt-4o", CallStatus.SUCCEEDED, null));
        CallRecord direct = call(
                2L,
                CallStatus.SUCCEEDED,
                "gpt-4o-mini",
                "0.000002",
                attempt(1, "gpt-4o-mini", CallStatus.SUCCEEDED, null));
        CallRecord rejected = call(
                3L, CallStatus.FAILED, "gpt-4o-mini", "0", attempt(1, "gpt-4o-mini", CallStatus.FAILED, "BAD_REQUEST"));
        // the primary's circuit is open: passed over without a request, which is no request to that model
        CallRecord skipped = call(
                4L,
                CallStatus.SUCCEEDED,
                "gpt-4o",
                "0.000030",
                attempt(1, "gpt-4o-mini", CallStatus.FAILED, "CIRCUIT_OPEN"),
                attempt(2, "gpt-4o", CallStatus.SUCCEEDED, null));

        SpendSummary summary = SpendSummary.of(
                List.of(1L, 2L, 3L, 4L),
                Map.of(1L, List.of(failedOver), 2L, List.of(direct), 3L, List.of(rejected), 4L, List.of(skipped)),
                Set.of(3L, 99L));

        assertThat(summary.instancesCompleted()).isEqualTo(4);
        assertThat(summary.instancesWithBpmnError()).isEqualTo(1);
        assertThat(summary.failovers()).isEqualTo(2);
        assertThat(summary.attemptsByModel())
                .containsEntry("gpt-4o-mini", new SpendSummary.Attempts(4, 3, 1))
                .containsEntry("gpt-4o", new SpendSummary.Attempts(2, 0, 0));
        assertThat(summary.totalCostUsd()).isEqualByComparingTo("0.000062");
        Map<String, Object> json = summary.asJson();
        assertThat(json).containsEntry("instancesWithBpmnError", 1).containsEntry("failovers", 2);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        summary.printTable(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("4 instances completed (1 through a BPMN error), 4 AI calls, 2 failed over to another model")
                .containsPattern("gpt-4o-mini\\s+4\\s+3\\s+1");
    }

    @Test
    void callsOfInstancesThatEndedInAnIncidentCountButTheInstancesDoNotComplete() {
        CallRecord allDown = call(
                7L,
                CallStatus.FAILED,
                "gpt-4o",
                "0",
                attempt(1, "gpt-4o-mini", CallStatus.FAILED, "OVERLOADED"),
                attempt(2, "gpt-4o", CallStatus.FAILED, "OVERLOADED"));
        CallRecord fine = call(
                8L,
                CallStatus.SUCCEEDED,
                "gpt-4o-mini",
                "0.000002",
                attempt(1, "gpt-4o-mini", CallStatus.SUCCEEDED, null));

        SpendSummary summary = SpendSummary.of(
                List.of(7L, 8L), Set.of(8L), Map.of(7L, List.of(allDown), 8L, List.of(fine)), Set.of(), Set.of(7L));

        assertThat(summary.instancesCompleted()).isEqualTo(1);
        assertThat(summary.instancesWithIncident()).isEqualTo(1);
        assertThat(summary.aiCalls()).isEqualTo(2);
        assertThat(summary.attemptsByModel()).containsEntry("gpt-4o", new SpendSummary.Attempts(1, 1, 0));
        assertThat(summary.asJson()).containsEntry("instancesWithIncident", 1).containsEntry("instancesCompleted", 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        summary.printTable(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("1 instances completed (0 through a BPMN error), 1 waiting in an incident, 2 AI calls");
    }

    private static CallRecord call(
            long instance, CallStatus status, String model, String cost, CallRecord.AttemptRecord... attempts) {
        return new CallRecord(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "support",
                "support-ticket-triage",
                1L,
                instance,
                "classify_ticket",
                instance * 10,
                null,
                "classify",
                status,
                "openai",
                model,
                10,
                0,
                0,
                2,
                0,
                new BigDecimal(cost),
                5,
                Instant.parse("2026-11-26T10:00:00Z"),
                List.of(attempts),
                false,
                List.of(),
                null);
    }

    private static CallRecord.AttemptRecord attempt(int n, String model, CallStatus status, String errorClass) {
        return new CallRecord.AttemptRecord(
                n,
                "openai",
                model,
                10,
                0,
                0,
                status == CallStatus.SUCCEEDED ? 2 : 0,
                0,
                5,
                status,
                errorClass,
                BigDecimal.ZERO);
    }
}
