package io.aiops.bpmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.QualityReport;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import io.aiops.sandbox.LocalStack;
import io.aiops.simulator.FaultKind;
import io.aiops.simulator.FaultRule;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.zeebe.process.test.assertions.BpmnAssert;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.process.test.inspections.model.InspectedProcessInstance;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quality end to end on Zeebe: an invoice extraction whose models answer off-schema. The quality gate turns such
 * answers away (paid for, recorded) and fails over; when no model's answer conforms, a person reviews it and the AI
 * feedback task records their verdict on the AI call; the quality report shows it all for the element.
 */
class InvoiceExtractionQualityProcessTest {

    private static final String PROCESS = "invoice-extraction-review";
    private static final String PROJECT = "invoices";
    private static final String PRIMARY = "gpt-4o-mini";
    private static final String FALLBACK = "gpt-4o";
    private static final String USER_TASK_JOB = "io.camunda.zeebe:userTask";

    private static LocalStack stack;
    private static CamundaClient zeebe;
    private static Instant started;

    @BeforeAll
    static void startStack() throws Exception {
        Path root = Path.of(System.getProperty("aiops.sandbox.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path data = Path.of("target", "quality-stack").toAbsolutePath();
        stack = LocalStack.start(root, data, true, line -> System.out.println("[stack] " + line));
        BpmnAssert.initRecordStream(RecordStream.of(stack.zeebe().recordStream()));
        zeebe = stack.zeebe().newClient();
        zeebe.newDeployResourceCommand()
                .addResourceFromClasspath("bpmn/invoice-extraction-review.bpmn")
                .send()
                .join();
        stack.admin()
                .putRoutingPolicy(new RoutingPolicy(
                        "invoices-extract",
                        PROJECT,
                        "extract",
                        List.of(
                                new RoutingPolicy.Target("openai", PRIMARY, 10_000L),
                                new RoutingPolicy.Target("openai", FALLBACK, 10_000L))));
        started = Instant.now().minus(Duration.ofMinutes(1));
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

    @AfterEach
    void clearFaults() {
        stack.simulator().faults().clear();
    }

    @Test
    void offSchemaAnswersFailOverAndWhenNoneConformsAReviewersVerdictLandsOnTheCall() {
        // 1: the primary answers off-schema, the fallback conforms: the gate fails over, the invoice is booked
        stack.simulator().faults().add(FaultRule.always(PRIMARY, FaultKind.OFF_SCHEMA));
        long failedOver = start("Invoice INV-2026-0042 from Acme GmbH. Total due: 1,250.00 EUR.");
        awaitCompleted(failedOver);
        BpmnAssert.assertThat(new InspectedProcessInstance(failedOver))
                .hasPassedElementsInOrder("extract_invoice", "booking_merge", "invoice_booked")
                .hasNotPassedElement("review_extraction")
                .isCompleted();
        CallRecord call = onlyCall(failedOver);
        assertThat(call.status()).isEqualTo(CallStatus.SUCCEEDED);
        assertThat(call.model()).isEqualTo(FALLBACK);
        assertThat(call.attempts()).hasSize(2);
        CallRecord.AttemptRecord turnedAway = call.attempts().getFirst();
        assertThat(turnedAway.model()).isEqualTo(PRIMARY);
        assertThat(turnedAway.errorClass()).isEqualTo("QUALITY_GATE");
        // the turned-away answer was paid for
        assertThat(turnedAway.costUsd()).isPositive();
        assertThat(passed(call, "schema_valid", 1)).isFalse();
        assertThat(passed(call, "schema_valid", 2)).isTrue();

        // 2: both models answer off-schema: the task raises AI_QUALITY_GATE_FAILED and a person reviews
        stack.simulator().faults().add(FaultRule.always(FALLBACK, FaultKind.OFF_SCHEMA));
        long reviewed = start("Invoice INV-2026-0043 from Acme GmbH. Total due: 980.00 EUR.");
        ActivatedJob review = awaitUserTask(reviewed);
        Map<String, Object> seen = review.getVariablesAsMap();
        @SuppressWarnings("unchecked")
        Map<String, Object> failure = (Map<String, Object>) seen.get("aiQualityFailure");
        assertThat(failure.get("failedChecks")).isEqualTo(List.of("schema_valid"));
        assertThat((String) failure.get("text")).contains("off-schema");
        zeebe.newCompleteCommand(review)
                .variables(Map.of(
                        "reviewerAccepted",
                        false,
                        "reviewNote",
                        "total was 980.00, not in the answer",
                        "invoice",
                        Map.of("invoiceNumber", "INV-2026-0043", "total", 980.00)))
                .send()
                .join();
        awaitCompleted(reviewed);
        BpmnAssert.assertThat(new InspectedProcessInstance(reviewed))
                .hasPassedElementsInOrder(
                        "extract_invoice_quality_gate_failed",
                        "review_extraction",
                        "record_review",
                        "booking_merge",
                        "invoice_booked")
                .hasNotPassedElement("record_review_feedback_rejected")
                .hasNotPassedElement("record_review_feedback_call_unknown")
                .isCompleted();
        CallRecord rejected = onlyCall(reviewed);
        assertThat(rejected.status()).isEqualTo(CallStatus.FAILED);
        assertThat(rejected.attempts())
                .extracting(CallRecord.AttemptRecord::errorClass)
                .containsExactly("QUALITY_GATE", "QUALITY_GATE");
        Score verdict = rejected.scores().stream()
                .filter(s -> s.source() == ScoreSource.HUMAN)
                .findFirst()
                .orElseThrow();
        assertThat(verdict.name()).isEqualTo("reviewer_accepted");
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.explanation()).isEqualTo("total was 980.00, not in the answer");

        // 3: the quality report shows both calls for the element
        QualityReport report = stack.admin()
                .quality(
                        started.toString(),
                        Instant.now().plus(Duration.ofMinutes(1)).toString(),
                        "project,element");
        QualityReport.Group element = report.groups().stream()
                .filter(g -> PROJECT.equals(g.key().get("project"))
                        && "extract_invoice".equals(g.key().get("element")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no group for extract_invoice in " + report));
        assertThat(element.calls()).isEqualTo(2);
        assertThat(element.succeededCalls()).isEqualTo(1);
        assertThat(element.successfulCalls()).isEqualTo(1);
        assertThat(element.feedbackCalls()).isEqualTo(1);
        assertThat(element.acceptedCalls()).isZero();
        QualityReport.ScoreSummary schema = element.scores().stream()
                .filter(s -> s.name().equals("schema_valid"))
                .findFirst()
                .orElseThrow();
        // four answers: three off-schema, one conforming
        assertThat(schema.count()).isEqualTo(4);
        assertThat(schema.passed()).isEqualTo(1);
        assertThat(element.costPerSuccessfulCallUsd()).isEqualByComparingTo(element.costUsd());
    }

    @Test
    void aVerdictThePolicyServiceRefusesIsCaughtAndTheCorrectedInvoiceIsStillBooked() {
        stack.simulator().faults().add(FaultRule.always(PRIMARY, FaultKind.OFF_SCHEMA));
        stack.simulator().faults().add(FaultRule.always(FALLBACK, FaultKind.OFF_SCHEMA));
        // a project of its own, so the quality report of the other test counts only its own calls
        stack.admin()
                .putRoutingPolicy(new RoutingPolicy(
                        "invoices-feedback-extract",
                        "invoices-feedback",
                        "extract",
                        List.of(
                                new RoutingPolicy.Target("openai", PRIMARY, 10_000L),
                                new RoutingPolicy.Target("openai", FALLBACK, 10_000L))));
        long instance = start("invoices-feedback", "Invoice INV-2026-0077 from Acme GmbH. Total due: 77.00 EUR.");
        ActivatedJob review = awaitUserTask(instance);
        // a numeric verdict must lie in 0..1: the service refuses 7, the feedback task raises AI_FEEDBACK_REJECTED
        zeebe.newCompleteCommand(review)
                .variables(Map.of(
                        "reviewerAccepted", 7, "invoice", Map.of("invoiceNumber", "INV-2026-0077", "total", 77.00)))
                .send()
                .join();
        awaitCompleted(instance);

        BpmnAssert.assertThat(new InspectedProcessInstance(instance))
                .hasPassedElementsInOrder(
                        "review_extraction", "record_review_feedback_rejected", "booking_merge", "invoice_booked")
                .isCompleted();
        assertThat(stack.zeebe().openIncidents(Set.of(instance))).isEmpty();
        assertThat(onlyCall(instance).scores()).noneMatch(score -> score.source() == ScoreSource.HUMAN);
    }

    @Test
    void anExhaustedBudgetSendsTheInvoiceToManualEntryWithTheReason() {
        stack.admin()
                .putBudget(new BudgetDefinition(
                        "invoices-capped-daily",
                        new BudgetDefinition.BudgetScope("invoices-capped", null),
                        BudgetDefinition.BudgetPeriod.DAY,
                        new BigDecimal("0.000001"),
                        BudgetDefinition.BudgetMode.HARD));
        long instance = start("invoices-capped", "Invoice X-1, total 10.00 EUR.");
        awaitCompleted(instance);

        BpmnAssert.assertThat(new InspectedProcessInstance(instance))
                .hasPassedElementsInOrder("extract_invoice_budget_exceeded", "manual_entry_merge", "manual_entry")
                .hasNotPassedElement("review_extraction")
                .hasNotPassedElement("invoice_booked")
                .hasVariableWithValue("manualEntryReason", "the AI budget is exhausted")
                .isCompleted();
        assertThat(stack.admin().callsOfProcessInstance(instance)).isEmpty();
    }

    private static long start(String invoiceText) {
        return start(PROJECT, invoiceText);
    }

    private static long start(String project, String invoiceText) {
        return zeebe.newCreateInstanceCommand()
                .bpmnProcessId(PROCESS)
                .latestVersion()
                .variables(Map.of("project", project, "invoiceText", invoiceText))
                .send()
                .join()
                .getProcessInstanceKey();
    }

    private static CallRecord onlyCall(long instance) {
        List<CallRecord> calls = stack.admin().callsOfProcessInstance(instance);
        assertThat(calls).hasSize(1);
        return calls.getFirst();
    }

    private static boolean passed(CallRecord call, String name, int attemptNo) {
        return call.scores().stream()
                .filter(s -> s.name().equals(name) && Integer.valueOf(attemptNo).equals(s.attemptNo()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " of attempt " + attemptNo + " in " + call))
                .passed();
    }

    /** The review task of the instance, once the engine has created it (long-polled, at most a minute). */
    private static ActivatedJob awaitUserTask(long instance) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            List<ActivatedJob> jobs = zeebe.newActivateJobsCommand()
                    .jobType(USER_TASK_JOB)
                    .maxJobsToActivate(10)
                    .requestTimeout(Duration.ofSeconds(5))
                    .send()
                    .join()
                    .getJobs();
            for (ActivatedJob job : jobs) {
                if (job.getProcessInstanceKey() == instance) {
                    return job;
                }
            }
        }
        throw new AssertionError("instance " + instance + " never reached its review task");
    }

    private static void awaitCompleted(long instance) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (stack.zeebe().completedInstances(Set.of(instance)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("instance " + instance + " did not complete within a minute; incidents: "
                        + stack.zeebe().openIncidents(Set.of(instance)));
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }
}
