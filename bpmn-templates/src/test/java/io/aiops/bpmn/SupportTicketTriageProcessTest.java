package io.aiops.bpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.sandbox.LocalStack;
import io.aiops.simulator.FaultKind;
import io.aiops.simulator.FaultRule;
import io.aiops.simulator.TokenRules;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ProcessInstanceResult;
import io.camunda.zeebe.process.test.assertions.BpmnAssert;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.process.test.inspections.model.InspectedProcessInstance;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs the support-ticket triage workflow on a Zeebe engine with the real connector (in the worker runtime), the real
 * policy server (its own process, embedded PostgreSQL) and the provider simulator, all over HTTP; then checks the
 * path each instance took and the ledger rows the policy server wrote for it. The worker sends its spans to a local
 * OTLP receiver, so the trace ids in the ledger can be checked against what a tracing backend got.
 */
// the failover case runs last: failures it provokes may open the primary model's circuit breaker in the worker
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupportTicketTriageProcessTest {

    private static final String PROCESS = "support-ticket-triage";
    private static final String CLASSIFY_SYSTEM_PROMPT =
            "You triage customer support tickets. Reply with the category only, in lower case.";

    private static LocalStack stack;
    private static CamundaClient zeebe;
    /** What a tracing backend received: the bodies of the worker's OTLP exports. */
    private static final List<byte[]> SPAN_EXPORTS = new CopyOnWriteArrayList<>();

    private static HttpServer otlpReceiver;

    @BeforeAll
    static void startStack() throws Exception {
        Path root = Path.of(System.getProperty("aiops.sandbox.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path data = Path.of("target", "e2e-stack").toAbsolutePath();
        otlpReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otlpReceiver.createContext("/v1/traces", exchange -> {
            SPAN_EXPORTS.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        otlpReceiver.start();
        stack = LocalStack.start(
                root,
                data,
                true,
                line -> System.out.println("[stack] " + line),
                LocalStack.Options.defaults()
                        .withWorkerProperties(Map.of(
                                "aiops.tracing.otlp-endpoint",
                                "http://127.0.0.1:" + otlpReceiver.getAddress().getPort() + "/v1/traces",
                                "aiops.tracing.export-delay",
                                "200ms")));
        BpmnAssert.initRecordStream(RecordStream.of(stack.zeebe().recordStream()));
        zeebe = stack.zeebe().newClient();
        zeebe.newDeployResourceCommand()
                .addResourceFromClasspath("bpmn/support-ticket-triage.bpmn")
                .send()
                .join();
    }

    @AfterAll
    static void stopStack() {
        if (zeebe != null) {
            zeebe.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (otlpReceiver != null) {
            otlpReceiver.stop(0);
        }
    }

    @AfterEach
    void clearFaults() {
        stack.simulator().faults().clear();
    }

    @Test
    @Order(1)
    void billingTicketIsClassifiedByTheCheapModelThenAReplyIsDrafted() {
        String subject = "Charged twice this month";
        String body = "My credit card shows two charges for the March billing cycle.";
        ProcessInstanceResult result = run("support", subject, body);

        assertThat(result.getVariablesAsMap())
                .containsEntry("category", "billing")
                .containsKey("replyDraft");
        BpmnAssert.assertThat(new InspectedProcessInstance(result.getProcessInstanceKey()))
                .hasPassedElementsInOrder(
                        "classify_ticket", "route_by_category", "draft_billing_reply", "reply_drafted")
                .hasNotPassedElement("manual_triage")
                .isCompleted();

        List<CallRecord> calls = stack.admin().callsOfProcessInstance(result.getProcessInstanceKey());
        assertThat(calls).extracting(CallRecord::elementId).containsExactly("classify_ticket", "draft_billing_reply");
        CallRecord classify = calls.get(0);
        assertThat(classify.bpmnProcessId()).isEqualTo(PROCESS);
        assertThat(classify.processInstanceKey()).isEqualTo(result.getProcessInstanceKey());
        assertThat(classify.status()).isEqualTo(CallStatus.SUCCEEDED);
        assertThat(classify.provider() + "/" + classify.model()).isEqualTo("openai/gpt-4o-mini");
        // the simulator's documented token rule for exactly the messages the workflow builds
        long expectedInput = TokenRules.promptTokens(List.of(CLASSIFY_SYSTEM_PROMPT, classifyPrompt(subject, body)));
        long expectedOutput = TokenRules.textTokens("billing");
        assertThat(classify.inputTokens()).isEqualTo(expectedInput);
        assertThat(classify.outputTokens()).isEqualTo(expectedOutput);
        assertThat(classify.costUsd())
                .isEqualByComparingTo(cost("openai", "gpt-4o-mini", expectedInput, expectedOutput));
        assertThat(classify.attempts()).hasSize(1);

        CallRecord draft = calls.get(1);
        assertThat(draft.model()).isEqualTo("gpt-4o");
        assertThat(draft.outputTokens()).isPositive();
        assertThat(draft.costUsd())
                .isEqualByComparingTo(cost("openai", "gpt-4o", draft.inputTokens(), draft.outputTokens()));

        // the job carries the ledger reference, so the process knows what its AI step cost
        @SuppressWarnings("unchecked")
        Map<String, Object> aiCall =
                (Map<String, Object>) result.getVariablesAsMap().get("classifyCall");
        assertThat(aiCall).containsEntry("callId", classify.callId().toString()).containsEntry("model", "gpt-4o-mini");
        assertThat(new BigDecimal(aiCall.get("costUsd").toString())).isEqualByComparingTo(classify.costUsd());

        // each AI task is a trace of its own; the ledger keeps its id, and the tracing backend got that trace
        assertThat(classify.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(draft.traceId());
        assertThat(draft.traceId()).matches("[0-9a-f]{32}");
        for (String traceId : List.of(classify.traceId(), draft.traceId())) {
            byte[] id = HexFormat.of().parseHex(traceId);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(SPAN_EXPORTS)
                            .as("an OTLP export with trace %s", traceId)
                            .anyMatch(export -> contains(export, id)));
        }
    }

    /**
     * Every metric the Grafana dashboard (docs/grafana/ai-ops.json) queries is exported by the worker runtime or the
     * policy server once they have served calls: a renamed metric or a typo in a panel fails here.
     */
    @Test
    @Order(8)
    void everyMetricTheGrafanaDashboardQueriesIsExportedByTheWorkerOrThePolicyServer() throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.read(GrafanaDashboardTest.DASHBOARD);
        Map<GrafanaDashboard.Query, Set<String>> queried = dashboard.metricsByQuery();
        assertThat(dashboard.panelsWithQueries()).as("panels with queries").isPositive();
        assertThat(queried)
                .isNotEmpty()
                .allSatisfy((query, metrics) ->
                        assertThat(metrics).as(query.where()).isNotEmpty());
        assertThat(stack.admin()
                        .callsOfProcessInstance(run("support", "Refund", "Please refund the billing overcharge.")
                                .getProcessInstanceKey()))
                .as("a call served just now")
                .isNotEmpty();

        // the budget gauges are refreshed on a schedule (aiops.metrics.budget-refresh): wait for the first refresh
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Set<String> exported = new HashSet<>(GrafanaDashboard.exported(
                            scrape(stack.workerRuntime().baseUri(), null)));
                    exported.addAll(GrafanaDashboard.exported(scrape(stack.policyServerUri(), stack.adminKey())));
                    Map<String, Set<String>> missing = new LinkedHashMap<>();
                    queried.forEach((query, metrics) -> {
                        Set<String> absent = new LinkedHashSet<>(metrics);
                        absent.removeAll(exported);
                        if (!absent.isEmpty()) {
                            missing.put(query.where() + ": " + query.expr(), absent);
                        }
                    });
                    assertThat(missing)
                            .as("dashboard queries naming metrics neither service exports")
                            .isEmpty();
                });
    }

    private static String scrape(URI service, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.resolve("/actuator/prometheus"));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("scrape of %s", service).isEqualTo(200);
        return response.body();
    }

    /** Whether {@code bytes} holds {@code part}, byte for byte (Latin-1 maps every byte to one char). */
    private static boolean contains(byte[] bytes, byte[] part) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(new String(part, StandardCharsets.ISO_8859_1));
    }

    @Test
    @Order(2)
    void technicalTicketIsEscalatedAfterOneCall() {
        ProcessInstanceResult result =
                run("support", "App crashes on login", "Since the update the app crashes with a technical error.");

        assertThat(result.getVariablesAsMap()).containsEntry("category", "technical");
        BpmnAssert.assertThat(new InspectedProcessInstance(result.getProcessInstanceKey()))
                .hasPassedElementsInOrder("classify_ticket", "route_by_category", "escalated_to_engineering")
                .hasNotPassedElement("draft_billing_reply")
                .isCompleted();
        assertThat(stack.admin().callsOfProcessInstance(result.getProcessInstanceKey()))
                .singleElement()
                .satisfies(call -> {
                    assertThat(call.elementId()).isEqualTo("classify_ticket");
                    assertThat(call.costUsd()).isPositive();
                });
    }

    @Test
    @Order(6)
    void whenThePrimaryModelIsDownTheCallFailsOverAndTheLedgerShowsEveryAttempt() {
        stack.simulator().faults().add(FaultRule.always("gpt-4o-mini", FaultKind.OVERLOADED));

        ProcessInstanceResult result =
                run("support", "Change the owner of our workspace", "Please move the account to my e-mail address.");

        assertThat(result.getVariablesAsMap()).containsEntry("category", "account");
        BpmnAssert.assertThat(new InspectedProcessInstance(result.getProcessInstanceKey()))
                .hasPassedElementsInOrder("classify_ticket", "routed_to_account_team")
                .isCompleted();
        CallRecord call = stack.admin()
                .callsOfProcessInstance(result.getProcessInstanceKey())
                .get(0);
        assertThat(call.status()).isEqualTo(CallStatus.SUCCEEDED);
        assertThat(call.model()).isEqualTo("gpt-4o");
        List<CallRecord.AttemptRecord> attempts = call.attempts();
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(2);
        assertThat(attempts.subList(0, attempts.size() - 1)).allSatisfy(a -> {
            assertThat(a.model()).isEqualTo("gpt-4o-mini");
            assertThat(a.status()).isEqualTo(CallStatus.FAILED);
            assertThat(a.errorClass()).isEqualTo("OVERLOADED");
            assertThat(a.costUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        });
        CallRecord.AttemptRecord last = attempts.get(attempts.size() - 1);
        assertThat(last.model()).isEqualTo("gpt-4o");
        assertThat(last.status()).isEqualTo(CallStatus.SUCCEEDED);
        assertThat(call.costUsd())
                .isEqualByComparingTo(cost("openai", "gpt-4o", last.inputTokens(), last.outputTokens()));
    }

    @Test
    @Order(3)
    void anExhaustedHardBudgetSendsTheTicketToManualTriageWithoutCallingAModel() {
        stack.admin()
                .putBudget(new BudgetDefinition(
                        "capped-project-daily",
                        new BudgetScope("capped", null),
                        BudgetPeriod.DAY,
                        new BigDecimal("0.000001"),
                        BudgetMode.HARD));
        long requestsBefore = stack.simulator().stats().totalRequests();

        ProcessInstanceResult result =
                run("capped", "Invoice missing VAT number", "The billing invoice lacks our VAT id.");

        BpmnAssert.assertThat(new InspectedProcessInstance(result.getProcessInstanceKey()))
                // the boundary event interrupts the AI task: it is terminated, never completed
                .hasPassedElementsInOrder("classify_ticket_budget_exceeded", "manual_triage_merge", "manual_triage")
                .hasNotPassedElement("classify_ticket")
                .hasNotPassedElement("route_by_category")
                .isCompleted();
        assertThat(result.getVariablesAsMap()).containsEntry("triageReason", "the AI budget is exhausted");
        assertThat(stack.admin().callsOfProcessInstance(result.getProcessInstanceKey()))
                .isEmpty();
        assertThat(stack.simulator().stats().totalRequests()).isEqualTo(requestsBefore);
    }

    @Test
    @Order(4)
    void aPolicyBlockingAiForTheProjectSendsTheTicketToManualTriageWithoutCallingAModel() {
        stack.admin()
                .putRoutingPolicy(RoutingPolicy.blocking(
                        "no-ai-for-minors", "minors", "classify", "tickets of minors are read by people only"));
        long requestsBefore = stack.simulator().stats().totalRequests();

        ProcessInstanceResult result = run("minors", "Charged twice this month", "My parents were charged twice.");

        BpmnAssert.assertThat(new InspectedProcessInstance(result.getProcessInstanceKey()))
                .hasPassedElementsInOrder("classify_ticket_policy_denied", "manual_triage_merge", "manual_triage")
                .hasNotPassedElement("route_by_category")
                .isCompleted();
        assertThat(result.getVariablesAsMap()).containsEntry("triageReason", "a policy denied the AI call");
        assertThat(stack.admin().callsOfProcessInstance(result.getProcessInstanceKey()))
                .isEmpty();
        assertThat(stack.simulator().stats().totalRequests()).isEqualTo(requestsBefore);
    }

    @Test
    @Order(7)
    void whenTheReplyCannotBeDraftedTheBillingTicketGoesToManualTriageNotToAnIncident() {
        // the project's replies are routed to a model retired since 2020: the reply task gets AI_MODEL_RETIRED, which
        // the reply task's own boundary event catches
        stack.admin()
                .putModel(new ModelPrice(
                        "openai",
                        "retired-writer",
                        new BigDecimal("0.000001"),
                        new BigDecimal("0.000002"),
                        null,
                        null,
                        null,
                        LocalDate.parse("2020-01-01")));
        stack.admin()
                .putRoutingPolicy(new RoutingPolicy(
                        "retired-replies",
                        "retired",
                        "generate",
                        List.of(new RoutingPolicy.Target("openai", "retired-writer", null))));

        ProcessInstanceResult result = run("retired", "Charged twice this month", "Two charges for the billing cycle.");

        assertThat(result.getVariablesAsMap())
                .containsEntry("category", "billing")
                .doesNotContainKey("replyDraft");
        BpmnAssert.assertThat(new InspectedProcessInstance(result.getProcessInstanceKey()))
                .hasPassedElementsInOrder(
                        "classify_ticket",
                        "route_by_category",
                        "draft_billing_reply_model_retired",
                        "manual_triage_merge",
                        "manual_triage")
                .hasNotPassedElement("reply_drafted")
                .isCompleted();
        assertThat(result.getVariablesAsMap()).containsEntry("triageReason", "every model the task may use is retired");
        assertThat(stack.admin().callsOfProcessInstance(result.getProcessInstanceKey()))
                .extracting(CallRecord::elementId)
                .containsExactly("classify_ticket");
    }

    @Test
    @Order(5)
    void anAnswerOutsideTheCategoriesIsTurnedAwayAndWhenNoModelNamesOneTheTicketGoesToManualTriage() {
        // only the cheap model answers off-category: the quality gate asks the next model, which names a category
        stack.simulator().faults().add(FaultRule.always("gpt-4o-mini", FaultKind.WRONG_CATEGORY));
        ProcessInstanceResult failedOver =
                run("support", "App crashes on login", "Since the update the app crashes with a technical error.");
        assertThat(failedOver.getVariablesAsMap()).containsEntry("category", "technical");
        BpmnAssert.assertThat(new InspectedProcessInstance(failedOver.getProcessInstanceKey()))
                .hasPassedElementsInOrder("classify_ticket", "route_by_category", "escalated_to_engineering")
                .isCompleted();
        assertThat(stack.admin().callsOfProcessInstance(failedOver.getProcessInstanceKey()))
                .singleElement()
                .satisfies(call -> assertThat(call.attempts())
                        .extracting(CallRecord.AttemptRecord::model, CallRecord.AttemptRecord::errorClass)
                        .containsExactly(tuple("gpt-4o-mini", "QUALITY_GATE"), tuple("gpt-4o", null)));

        // every model answers off-category: never the default path, a person triages with the last answer at hand
        stack.simulator().faults().add(FaultRule.always("gpt-4o", FaultKind.WRONG_CATEGORY));
        ProcessInstanceResult offCategory =
                run("support", "Charged twice this month", "Two charges for the billing cycle.");

        BpmnAssert.assertThat(new InspectedProcessInstance(offCategory.getProcessInstanceKey()))
                .hasPassedElementsInOrder("classify_ticket_quality_gate_failed", "manual_triage_merge", "manual_triage")
                .hasNotPassedElement("route_by_category")
                .hasNotPassedElement("draft_billing_reply")
                .isCompleted();
        Map<String, Object> variables = offCategory.getVariablesAsMap();
        assertThat(variables).containsEntry("triageReason", "no model's answer passed the quality gate");
        @SuppressWarnings("unchecked")
        Map<String, Object> failure = (Map<String, Object>) variables.get("aiQualityFailure");
        assertThat(failure).containsEntry("failedChecks", List.of("category_valid"));
        assertThat(failure.get("category")).isNull();
    }

    private static ProcessInstanceResult run(String project, String subject, String body) {
        return zeebe.newCreateInstanceCommand()
                .bpmnProcessId(PROCESS)
                .latestVersion()
                .variables(Map.of("project", project, "subject", subject, "body", body))
                .withResult()
                .requestTimeout(Duration.ofSeconds(60))
                .send()
                .join();
    }

    private static String classifyPrompt(String subject, String body) {
        return "Classify the support ticket into exactly one of: billing, technical, account.\nSubject: " + subject
                + "\nTicket: " + body;
    }

    /** Expected cost from the catalog price, as the product defines it (no cached or reasoning tokens here). */
    private static BigDecimal cost(String provider, String model, long inputTokens, long outputTokens) {
        ModelPrice price = stack.admin().getModel(provider, model);
        return price.inputPerToken()
                .multiply(BigDecimal.valueOf(inputTokens))
                .add(price.outputPerToken().multiply(BigDecimal.valueOf(outputTokens)));
    }
}
