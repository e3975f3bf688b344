package io.aiops.bpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.AlertRule;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.PolicyClient;
import io.aiops.sandbox.LocalStack;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.zeebe.process.test.assertions.BpmnAssert;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.process.test.inspections.model.InspectedProcessInstance;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two workflows budget alerts drive, on Zeebe with the real policy server, worker runtime and simulator: the
 * policy server publishes a budget alert as a Zeebe message (through the stack's bridge to the engine's gRPC API), a
 * running contract review of the project catches its SOFT budget alert, and the AI budget incident process, started
 * by the alert, notifies, waits for an approval and raises the budget through the policy API, or ends without a raise
 * when the worker refuses it.
 */
class BudgetAlertProcessesTest {

    private static final String USER_TASK_JOB = "io.camunda.zeebe:userTask";
    private static final String TINY_LIMIT = "0.000001";

    private static LocalStack stack;
    private static CamundaClient zeebe;

    @BeforeAll
    static void startStack() throws Exception {
        Path root = Path.of(System.getProperty("aiops.sandbox.root", ".."))
                .toAbsolutePath()
                .normalize();
        stack = LocalStack.start(
                root,
                Path.of("target", "budget-alert-stack").toAbsolutePath(),
                true,
                line -> System.out.println("[stack] " + line));
        BpmnAssert.initRecordStream(RecordStream.of(stack.zeebe().recordStream()));
        zeebe = stack.zeebe().newClient();
        for (String bpmn : List.of("contract-clause-review", "ai-budget-incident", "support-ticket-triage")) {
            zeebe.newDeployResourceCommand()
                    .addResourceFromClasspath("bpmn/" + bpmn + ".bpmn")
                    .send()
                    .join();
        }
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
    void aContractReviewUsesTheStrongModelToReviewAndTheCheapOneToSummariseThenTheLawyerSignsOff() {
        long instance = startContractReview("contracts");
        ActivatedJob signOff = awaitUserTask("contract-clause-review", job -> job.getProcessInstanceKey() == instance);
        assertThat((String) signOff.getVariablesAsMap().get("clauseReview"))
                .startsWith("Simulated answer from gpt-4o:");
        zeebe.newCompleteCommand(signOff)
                .variables(Map.of("signedOffBy", "Lee Counsel"))
                .send()
                .join();
        awaitCompleted(instance);

        BpmnAssert.assertThat(new InspectedProcessInstance(instance))
                .hasPassedElementsInOrder("review_clause", "summarise_review", "lawyer_signs_off", "review_signed_off")
                .hasNotPassedElement("manual_review_merge")
                .hasNotPassedElement("soft_budget_alert")
                .isCompleted();
        assertThat(stack.admin().callsOfProcessInstance(instance))
                .extracting(CallRecord::elementId, CallRecord::model)
                .containsExactly(tuple("review_clause", "gpt-4o"), tuple("summarise_review", "gpt-4o-mini"));
    }

    @Test
    void aSoftBudgetAlertOfTheProjectReachesTheRunningReviewWhichGoesOnAndTellsTheTeam() {
        String project = "contracts-soft";
        stack.admin()
                .putBudget(new BudgetDefinition(
                        "contracts-soft-daily",
                        new BudgetScope(project, null),
                        BudgetPeriod.DAY,
                        new BigDecimal(TINY_LIMIT),
                        BudgetMode.SOFT,
                        null,
                        List.of(100)));
        stack.admin()
                .putAlertRule(budgetAlertRule(
                        "contracts-soft-alert", project, "contracts-soft-daily", "aiops-soft-budget-alert"));

        // the review's call spends past the SOFT limit: never denied, but the alert fires and comes back as a message
        long instance = startContractReview(project);
        awaitPassed(instance, "notify_team");
        ActivatedJob signOff = awaitUserTask("contract-clause-review", job -> job.getProcessInstanceKey() == instance);
        zeebe.newCompleteCommand(signOff)
                .variables(Map.of("signedOffBy", "Lee Counsel"))
                .send()
                .join();
        awaitCompleted(instance);

        BpmnAssert.assertThat(new InspectedProcessInstance(instance))
                .hasPassedElementsInOrder("soft_budget_alert", "notify_team", "team_told")
                .hasPassedElementsInOrder("review_clause", "summarise_review", "review_signed_off")
                .isCompleted();
        assertThat(stack.alertBridge().published())
                .anySatisfy(message -> assertThat(message)
                        .containsEntry("name", "aiops-soft-budget-alert")
                        .containsEntry("correlationKey", project));
        assertThat(stack.alertBridge().notices())
                .anySatisfy(notice -> assertThat(notice).startsWith("Contract reviews of " + project + ": "));
        // both AI steps ran: a SOFT budget counts, it never denies
        assertThat(stack.admin().callsOfProcessInstance(instance)).hasSize(2);
    }

    @Test
    void anApprovedRaiseIsMadeThroughThePolicyApiAndTheAuditTrailShowsTheChange() throws Exception {
        String project = "incident-approve";
        String budgetId = "incident-approve-daily";
        ActivatedJob approval = provokeBudgetIncident(project, budgetId);
        long incident = approval.getProcessInstanceKey();
        assertThat(stack.alertBridge().notices())
                .anySatisfy(notice -> assertThat(notice).startsWith("AI budget " + budgetId + ": "));

        zeebe.newCompleteCommand(approval)
                .variables(Map.of(
                        "approved", true,
                        "newLimitUsd", "5.000000000001",
                        "approvedBy", "Dana Bütow-Owner",
                        "approvalNote", "launch week"))
                .send()
                .join();
        awaitCompleted(incident);

        BpmnAssert.assertThat(new InspectedProcessInstance(incident))
                .hasPassedElementsInOrder(
                        "budget_alert_received",
                        "notify_budget_owner",
                        "approve_raise",
                        "raise_budget",
                        "budget_raised")
                .hasNotPassedElement("budget_not_raised")
                .isCompleted();
        // exactly the approved amount, not a double's approximation of it
        assertThat(stack.admin().getBudget(budgetId).budget().limitUsd())
                .isEqualByComparingTo(new BigDecimal("5.000000000001"));
        Map<String, Object> raise = variable(incident, "budgetRaise");
        assertThat(raise)
                .containsEntry("budgetId", budgetId)
                .containsEntry("previousLimitUsd", TINY_LIMIT)
                .containsEntry("newLimitUsd", "5.000000000001")
                .containsEntry("approvedBy", "Dana Bütow-Owner")
                .containsEntry("approvalNote", "launch week")
                .containsEntry("alreadyInForce", false);

        // the policy audit trail: the change with its before and after, made with the worker's ADMIN key on behalf
        // of the approver
        JsonNode change = budgetChanges(project, budgetId).getLast();
        assertThat(change.path("envelope").path("actorName").asText()).isEqualTo(LocalStack.BUDGET_RAISE_KEY_NAME);
        JsonNode payload = PolicyClient.JSON.readTree(change.path("payload").asText());
        assertThat(payload.path("onBehalfOf").asText()).isEqualTo("Dana Bütow-Owner");
        // amounts are decimal strings in the audit payload
        assertThat(new BigDecimal(payload.path("before").path("limitUsd").asText()))
                .isEqualByComparingTo(TINY_LIMIT);
        assertThat(new BigDecimal(payload.path("after").path("limitUsd").asText()))
                .isEqualByComparingTo("5.000000000001");
    }

    @Test
    void aRaiseThatIsNoRaiseIsRefusedByTheWorkerAndTheBudgetStaysAsItWas() throws Exception {
        String project = "incident-refuse";
        String budgetId = "incident-refuse-daily";
        ActivatedJob approval = provokeBudgetIncident(project, budgetId);
        long incident = approval.getProcessInstanceKey();
        int changesBefore = budgetChanges(project, budgetId).size();

        zeebe.newCompleteCommand(approval)
                .variables(Map.of(
                        "approved", true,
                        "newLimitUsd", "0.0000001",
                        "approvedBy", "Dana Bütow-Owner"))
                .send()
                .join();
        awaitCompleted(incident);

        BpmnAssert.assertThat(new InspectedProcessInstance(incident))
                .hasPassedElementsInOrder("raise_budget_raise_invalid", "not_raised_merge", "budget_not_raised")
                .hasNotPassedElement("budget_raised")
                .hasVariableWithValue("raiseRefusalCode", "BUDGET_RAISE_INVALID")
                .isCompleted();
        assertThat(stack.admin().getBudget(budgetId).budget().limitUsd()).isEqualByComparingTo(TINY_LIMIT);
        assertThat(budgetChanges(project, budgetId)).hasSize(changesBefore);
    }

    /**
     * Puts a SOFT budget with a limit the first call passes and a rule publishing its alert as aiops-budget-alert, runs
     * one AI call in the project, and returns the approval task of the incident process the alert started.
     */
    private static ActivatedJob provokeBudgetIncident(String project, String budgetId) {
        stack.admin()
                .putBudget(new BudgetDefinition(
                        budgetId,
                        new BudgetScope(project, null),
                        BudgetPeriod.DAY,
                        new BigDecimal(TINY_LIMIT),
                        BudgetMode.SOFT,
                        null,
                        List.of(100)));
        stack.admin().putAlertRule(budgetAlertRule(budgetId + "-alert", project, budgetId, "aiops-budget-alert"));
        zeebe.newCreateInstanceCommand()
                .bpmnProcessId("support-ticket-triage")
                .latestVersion()
                .variables(Map.of(
                        "project", project,
                        "subject", "App crashes on login",
                        "body", "Since the update the app crashes with a technical error."))
                .withResult()
                .requestTimeout(Duration.ofSeconds(60))
                .send()
                .join();
        return awaitUserTask("ai-budget-incident", job -> {
            Object alert = job.getVariablesAsMap().get("aiopsAlert");
            return alert instanceof Map<?, ?> fields && project.equals(fields.get("project"));
        });
    }

    private static AlertRule budgetAlertRule(String id, String project, String budgetId, String messageName) {
        return new AlertRule(
                id,
                project,
                AlertRule.AlertKind.BUDGET_THRESHOLD,
                budgetId,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                messageName);
    }

    private static long startContractReview(String project) {
        return zeebe.newCreateInstanceCommand()
                .bpmnProcessId("contract-clause-review")
                .latestVersion()
                .variables(Map.of(
                        "project", project,
                        "counterparty", "Acme GmbH",
                        "clauseText", "The Supplier's total liability shall not exceed the fees of three months."))
                .send()
                .join()
                .getProcessInstanceKey();
    }

    /** The POLICY_CHANGE entries of the project's audit chain about the budget, oldest first (the export, as jsonl). */
    private static List<JsonNode> budgetChanges(String project, String budgetId) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.policyServerUri() + "/api/v1/audit/export?project="
                                        + project + "&format=jsonl"))
                                .header("Authorization", "Bearer " + stack.adminKey())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> changes = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode entry = PolicyClient.JSON.readTree(line);
            if (!"POLICY_CHANGE".equals(entry.path("envelope").path("kind").asText())) {
                continue;
            }
            JsonNode payload = PolicyClient.JSON.readTree(entry.path("payload").asText());
            if ("budget".equals(payload.path("subject").asText())
                    && budgetId.equals(payload.path("id").asText())) {
                changes.add(entry);
            }
        }
        return changes;
    }

    /** The latest value of a process variable, from the engine's record stream. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> variable(long instance, String name) throws Exception {
        String json = null;
        for (Record<VariableRecordValue> record :
                RecordStream.of(stack.zeebe().recordStream()).variableRecords()) {
            if (record.getValue().getProcessInstanceKey() == instance
                    && record.getValue().getName().equals(name)) {
                json = record.getValue().getValue();
            }
        }
        assertThat(json).as("variable %s of instance %s", name, instance).isNotNull();
        return PolicyClient.JSON.readValue(json, Map.class);
    }

    /** The first user task of {@code process} that {@code wanted} accepts, once the engine has created it. */
    private static ActivatedJob awaitUserTask(String process, Predicate<ActivatedJob> wanted) {
        List<ActivatedJob> found = new ArrayList<>();
        await().atMost(Duration.ofMinutes(1))
                .failFast(
                        () -> assertThat(openIncidentMessages()).as("incidents").isEmpty())
                .until(() -> {
                    for (ActivatedJob job : zeebe.newActivateJobsCommand()
                            .jobType(USER_TASK_JOB)
                            .maxJobsToActivate(20)
                            // locked long enough for the test to complete it; others are left alone, not completed
                            .timeout(Duration.ofMinutes(1))
                            .requestTimeout(Duration.ofSeconds(2))
                            .send()
                            .join()
                            .getJobs()) {
                        if (job.getBpmnProcessId().equals(process) && wanted.test(job)) {
                            found.add(job);
                            return true;
                        }
                    }
                    return false;
                });
        return found.getFirst();
    }

    /** Every incident the engine created so far, by its error message (none is expected in these tests). */
    private static List<String> openIncidentMessages() {
        List<String> messages = new ArrayList<>();
        for (Record<IncidentRecordValue> record :
                RecordStream.of(stack.zeebe().recordStream()).incidentRecords()) {
            messages.add(
                    record.getValue().getElementId() + ": " + record.getValue().getErrorMessage());
        }
        return messages;
    }

    private static void awaitPassed(long instance, String elementId) {
        // the record stream BpmnAssert reads is set for this thread only
        await().atMost(Duration.ofMinutes(1))
                .pollInSameThread()
                .untilAsserted(() -> BpmnAssert.assertThat(new InspectedProcessInstance(instance))
                        .hasPassedElement(elementId));
    }

    private static void awaitCompleted(long instance) {
        await().atMost(Duration.ofMinutes(1))
                .failFast(() -> assertThat(stack.zeebe().openIncidents(Set.of(instance)))
                        .as("incidents")
                        .isEmpty())
                .until(() -> !stack.zeebe().completedInstances(Set.of(instance)).isEmpty());
    }
}
