package io.aiops.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.sandbox.LocalStack;
import io.aiops.simulator.FaultKind;
import io.aiops.simulator.FaultRule;
import io.aiops.simulator.SimulatorStats;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ProcessInstanceResult;
import io.camunda.zeebe.process.test.assertions.BpmnAssert;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.process.test.inspections.model.InspectedProcessInstance;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix: instances of a one-AI-task workflow run on Zeebe while the primary model fails in each way a
 * provider can fail. Every instance must end, either answered by the fallback model or through the modelled
 * {@code AI_REQUEST_REJECTED} boundary event; the ledger must show each attempt with its error class; and the
 * simulator's request counts must show retries only for retryable failures.
 */
class AiTaskFaultMatrixProcessTest {

    private static final String PROCESS = "ai-task-fault-matrix";
    private static final String PRIMARY = "gpt-4o-mini";
    private static final String FALLBACK = "gpt-4o";
    private static final int INSTANCES_PER_FAULT = 3;
    /** The worker's default attempts per candidate (the first included). */
    private static final int MAX_ATTEMPTS = 2;

    private static final long PRIMARY_TIMEOUT_MS = 1_000;

    private static LocalStack stack;
    private static CamundaClient zeebe;

    /** One row: the fault, the ledger's error class, whether it is retried, whether the request itself is rejected. */
    private record Fault(FaultKind kind, String label, String errorClass, boolean retried, boolean rejectsRequest) {}

    private static final List<Fault> FAULTS = List.of(
            new Fault(FaultKind.RATE_LIMIT, "429 + Retry-After 1s", "RATE_LIMITED", true, false),
            new Fault(FaultKind.INSUFFICIENT_QUOTA, "429 insufficient_quota", "QUOTA_EXCEEDED", false, false),
            new Fault(FaultKind.SERVER_ERROR, "500", "SERVER_ERROR", true, false),
            new Fault(FaultKind.OVERLOADED, "503", "OVERLOADED", true, false),
            new Fault(FaultKind.TIMEOUT, "timeout (> " + PRIMARY_TIMEOUT_MS + " ms)", "TIMEOUT", true, false),
            new Fault(FaultKind.MALFORMED, "malformed JSON", "MALFORMED_RESPONSE", true, false),
            new Fault(FaultKind.TRUNCATED, "truncated body", "MALFORMED_RESPONSE", true, false),
            new Fault(FaultKind.DROP, "connection drop", "CONNECTION", true, false),
            new Fault(FaultKind.BAD_REQUEST, "400 on the prompt", "BAD_REQUEST", false, true));

    @BeforeAll
    static void startStack() throws Exception {
        Path root = Path.of(System.getProperty("aiops.sandbox.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path data = Path.of("target", "fault-matrix-stack").toAbsolutePath();
        LocalStack.Options options = LocalStack.Options.defaults()
                .withWorkerProperties(Map.of(
                        // short waits keep the matrix fast; the provider's Retry-After is still honoured
                        "aiops.resilience.retry.initial-backoff", "20ms",
                        "aiops.resilience.retry.max-backoff", "50ms",
                        // every row must meet the fault itself, not a circuit opened by the rows before it
                        "aiops.resilience.circuit-breaker.sliding-window-size", "1000",
                        "aiops.resilience.circuit-breaker.minimum-number-of-calls", "1000"));
        stack = LocalStack.start(root, data, true, line -> System.out.println("[stack] " + line), options);
        BpmnAssert.initRecordStream(RecordStream.of(stack.zeebe().recordStream()));
        zeebe = stack.zeebe().newClient();
        zeebe.newDeployResourceCommand()
                .addResourceFromClasspath("bpmn/ai-task-fault-matrix.bpmn")
                .send()
                .join();
        stack.admin()
                .putRoutingPolicy(new RoutingPolicy(
                        "chaos-matrix",
                        "chaos",
                        "matrix",
                        List.of(
                                new RoutingPolicy.Target("openai", PRIMARY, PRIMARY_TIMEOUT_MS),
                                new RoutingPolicy.Target("openai", FALLBACK, 10_000L))));
    }

    @AfterAll
    static void stopStack() {
        if (zeebe != null) {
            zeebe.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyInstanceEndsAnsweredByTheFallbackOrInTheModelledErrorAndOnlyRetryableFaultsAreRetried() {
        List<String> table = new ArrayList<>();
        table.add("| fault on " + PRIMARY + " | instances | outcome | attempts per instance (ledger) | requests "
                + PRIMARY + " / " + FALLBACK + " |");
        table.add("|---|---|---|---|---|");
        for (Fault fault : FAULTS) {
            stack.simulator().faults().clear();
            stack.simulator().resetStats();
            stack.simulator().faults().add(FaultRule.always(PRIMARY, fault.kind()));

            List<ProcessInstanceResult> results = runConcurrently(INSTANCES_PER_FAULT);

            List<String> attemptsSeen = new ArrayList<>();
            for (ProcessInstanceResult result : results) {
                InspectedProcessInstance instance = new InspectedProcessInstance(result.getProcessInstanceKey());
                if (fault.rejectsRequest()) {
                    BpmnAssert.assertThat(instance)
                            .as(fault.label())
                            .hasPassedElementsInOrder("request_rejected", "prompt_needs_rework")
                            .hasNotPassedElement("answered")
                            .isCompleted();
                    assertThat(result.getVariablesAsMap()).doesNotContainKey("answer");
                } else {
                    BpmnAssert.assertThat(instance)
                            .as(fault.label())
                            .hasPassedElementsInOrder("ask_model", "answered")
                            .hasNotPassedElement("request_rejected")
                            .isCompleted();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> call =
                            (Map<String, Object>) result.getVariablesAsMap().get("answerCall");
                    assertThat(call).as(fault.label()).containsEntry("model", FALLBACK);
                }
                CallRecord record = stack.admin()
                        .callsOfProcessInstance(result.getProcessInstanceKey())
                        .getFirst();
                int primaryAttempts = fault.retried() ? MAX_ATTEMPTS : 1;
                List<CallRecord.AttemptRecord> attempts = record.attempts();
                assertThat(attempts).as(fault.label()).hasSize(primaryAttempts + (fault.rejectsRequest() ? 0 : 1));
                assertThat(attempts.subList(0, primaryAttempts))
                        .as(fault.label())
                        .allSatisfy(a -> {
                            assertThat(a.model()).isEqualTo(PRIMARY);
                            assertThat(a.status()).isEqualTo(CallStatus.FAILED);
                            assertThat(a.errorClass()).isEqualTo(fault.errorClass());
                            assertThat(a.costUsd()).isEqualByComparingTo(BigDecimal.ZERO);
                        });
                if (!fault.rejectsRequest()) {
                    CallRecord.AttemptRecord last = attempts.getLast();
                    assertThat(last.model()).isEqualTo(FALLBACK);
                    assertThat(last.status()).isEqualTo(CallStatus.SUCCEEDED);
                    assertThat(record.status()).isEqualTo(CallStatus.SUCCEEDED);
                } else {
                    assertThat(record.status()).isEqualTo(CallStatus.FAILED);
                }
                attemptsSeen.add(attempts.stream()
                        .map(a -> a.model() + (a.status() == CallStatus.SUCCEEDED ? " ok" : " " + a.errorClass()))
                        .collect(Collectors.joining(", ")));
            }

            // counted where the requests arrive: retries only for retryable faults, no fallback after a rejected prompt
            SimulatorStats stats = stack.simulator().stats();
            int expectedPrimary = INSTANCES_PER_FAULT * (fault.retried() ? MAX_ATTEMPTS : 1);
            assertThat(stats.requests(PRIMARY)).as(fault.label()).isEqualTo(expectedPrimary);
            assertThat(stats.faults(PRIMARY, fault.kind())).as(fault.label()).isEqualTo(expectedPrimary);
            assertThat(stats.requests(FALLBACK))
                    .as(fault.label())
                    .isEqualTo(fault.rejectsRequest() ? 0 : INSTANCES_PER_FAULT);

            String outcome = fault.rejectsRequest()
                    ? "BPMN error AI_REQUEST_REJECTED -> prompt_needs_rework"
                    : "completed via failover to " + FALLBACK;
            table.add("| " + fault.label() + " | " + results.size() + " | " + outcome + " | "
                    + attemptsSeen.stream().distinct().collect(Collectors.joining("; ")) + " | "
                    + stats.requests(PRIMARY)
                    + " / " + stats.requests(FALLBACK) + " |");
        }
        System.out.println("Fault matrix (" + INSTANCES_PER_FAULT + " instances per fault, max " + MAX_ATTEMPTS
                + " attempts per candidate):");
        table.forEach(System.out::println);
    }

    /**
     * Every candidate failing: the job fails with a clear message, Zeebe's retries apply with the diagram's back-off
     * (one delivery per retry, no busy loop), and after the last retry the instance waits in an incident. Each delivery
     * is in the ledger as its own call with every attempt.
     */
    @Test
    void whenEveryCandidateFailsTheJobIsRetriedByZeebeAndEndsInAnIncidentWithEveryAttemptInTheLedger() {
        stack.simulator().faults().clear();
        stack.simulator().resetStats();
        stack.simulator().faults().add(FaultRule.always(PRIMARY, FaultKind.OVERLOADED));
        stack.simulator().faults().add(FaultRule.always(FALLBACK, FaultKind.SERVER_ERROR));
        int deliveries = 2; // retries="2" on the task
        List<Long> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES_PER_FAULT; i++) {
            instances.add(zeebe.newCreateInstanceCommand()
                    .bpmnProcessId(PROCESS)
                    .latestVersion()
                    .variables(Map.of("question", "Ticket " + i + " while every model is down"))
                    .send()
                    .join()
                    .getProcessInstanceKey());
        }

        Map<Long, String> incidents = awaitIncidents(instances, Duration.ofSeconds(60));

        assertThat(incidents).containsOnlyKeys(instances);
        assertThat(incidents.values())
                .allSatisfy(message -> assertThat(message).contains("All 2 candidate model(s) failed"));
        for (long instance : instances) {
            List<CallRecord> calls = stack.admin().callsOfProcessInstance(instance);
            assertThat(calls).as("one call per delivery").hasSize(deliveries);
            assertThat(calls).allSatisfy(call -> {
                assertThat(call.status()).isEqualTo(CallStatus.FAILED);
                assertThat(call.attempts())
                        .extracting(CallRecord.AttemptRecord::errorClass)
                        .containsExactly("OVERLOADED", "OVERLOADED", "SERVER_ERROR", "SERVER_ERROR");
                assertThat(call.costUsd()).isEqualByComparingTo(BigDecimal.ZERO);
            });
            // the second delivery waited for the diagram's retry back-off (PT1S) instead of looping
            assertThat(Duration.between(calls.get(0).createdAt(), calls.get(1).createdAt()))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        SimulatorStats stats = stack.simulator().stats();
        int expected = INSTANCES_PER_FAULT * deliveries * MAX_ATTEMPTS;
        assertThat(stats.requests(PRIMARY)).isEqualTo(expected);
        assertThat(stats.requests(FALLBACK)).isEqualTo(expected);
        System.out.println("| both models failing (503 / 500) | " + INSTANCES_PER_FAULT + " | incident after "
                + deliveries + " deliveries (job retries, back-off PT1S) | per delivery: " + PRIMARY
                + " OVERLOADED x2, "
                + FALLBACK + " SERVER_ERROR x2 | " + stats.requests(PRIMARY) + " / " + stats.requests(FALLBACK) + " |");
    }

    /** Polls the engine's record stream (a real asynchronous boundary) until each instance has an incident. */
    private static Map<Long, String> awaitIncidents(List<Long> instances, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<Long, String> found = stack.zeebe().openIncidents(instances);
        while (found.size() < instances.size() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            found = stack.zeebe().openIncidents(instances);
        }
        return found;
    }

    private static List<ProcessInstanceResult> runConcurrently(int instances) {
        List<CompletableFuture<ProcessInstanceResult>> started = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            started.add(zeebe.newCreateInstanceCommand()
                    .bpmnProcessId(PROCESS)
                    .latestVersion()
                    .variables(Map.of(
                            "question",
                            "Ticket " + i + ": which team handles refunds? Answer with one of: billing, "
                                    + "technical."))
                    .withResult()
                    .requestTimeout(Duration.ofSeconds(60))
                    .send()
                    .toCompletableFuture());
        }
        // a stuck instance would not complete: join fails after the request time-out instead of hanging
        return started.stream().map(CompletableFuture::join).toList();
    }
}
