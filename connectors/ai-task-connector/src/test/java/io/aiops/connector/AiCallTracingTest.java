package io.aiops.connector;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.aiops.connector.AiTaskConnectorFunctionTest.DECISION_ID;
import static io.aiops.connector.AiTaskConnectorFunctionTest.ELEMENT_INSTANCE_KEY;
import static io.aiops.connector.AiTaskConnectorFunctionTest.allowed;
import static io.aiops.connector.AiTaskConnectorFunctionTest.candidate;
import static io.aiops.connector.AiTaskConnectorFunctionTest.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.aiops.connector.model.AiTaskResult;
import io.aiops.connector.pipeline.AiCallPipeline;
import io.aiops.policy.api.PolicyClient;
import io.camunda.connector.api.error.ConnectorException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The spans of an AI task as a tracing backend receives them (an in-memory exporter behind the OpenTelemetry SDK),
 * and the trace id the policy service is told with the outcome. The names asserted are the wire names users query by.
 */
class AiCallTracingTest {

    @RegisterExtension
    static WireMockExtension wire = WireMockExtension.newInstance().build();

    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    static final String CALL_ID = "9a1b2c3d-4e5f-4a6b-8c7d-1e2f3a4b5c6d";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private OpenTelemetrySdk openTelemetry;
    private AiTaskConnectorFunction function;

    @BeforeEach
    void setUp() {
        openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exported))
                        .build())
                .build();
        function = new AiTaskConnectorFunction(pipeline(openTelemetry));
    }

    @AfterEach
    void tearDown() {
        openTelemetry.close();
    }

    private static AiCallPipeline pipeline(io.opentelemetry.api.OpenTelemetry tracing) {
        URI base = URI.create(wire.baseUrl());
        return AiCallPipeline.builder()
                .policy(new PolicyClient(base, "worker-key"))
                .candidates(TestProviders.openAiCompatible(base, "primary", "secondary"))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .outcomeRetryWait(Duration.ofMillis(1))
                .openTelemetry(tracing)
                .build();
    }

    @Test
    void aFailedOverCallIsOneSpanNamedAfterTheAnsweringModelWithTheDecisionAndEachRequestAsChildren() throws Exception {
        stubDecision(allowed(candidate("primary", "gpt-4o"), candidate("secondary", "gpt-4o-mini")));
        stubCompletion("primary", 503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
        // 1,200 input tokens of which 1,000 read from the cache; 300 output tokens of which 120 reasoning
        stubCompletion("secondary", 200, completion("gpt-4o-mini-2024-07-18", "billing", 1200, 300, 1000, 120));
        stubOutcome("0.00042");

        AiTaskResult answer = (AiTaskResult) function.execute(
                context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));

        assertThat(answer.text()).isEqualTo("billing");
        List<SpanData> spans = exported.getFinishedSpanItems();
        SpanData call = only(spans, "chat gpt-4o-mini", SpanKind.INTERNAL);
        assertThat(call.getStartEpochNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(NOW.getEpochSecond()));
        assertThat(string(call, "gen_ai.operation.name")).isEqualTo("chat");
        assertThat(string(call, "gen_ai.provider.name")).isEqualTo("secondary");
        assertThat(string(call, "gen_ai.request.model")).isEqualTo("gpt-4o-mini");
        assertThat(string(call, "gen_ai.response.model")).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(string(call, "gen_ai.response.id")).isEqualTo("chatcmpl-7");
        assertThat(call.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                .containsExactly("stop");
        // the call's usage is its attempts' together, as the ledger's call row sums them
        assertThat(number(call, "gen_ai.usage.input_tokens")).isEqualTo(1200);
        assertThat(number(call, "gen_ai.usage.output_tokens")).isEqualTo(300);
        assertThat(number(call, "gen_ai.usage.cache_read.input_tokens")).isEqualTo(1000);
        assertThat(number(call, "gen_ai.usage.cache_creation.input_tokens")).isZero();
        assertThat(number(call, "gen_ai.usage.reasoning.output_tokens")).isEqualTo(120);
        assertThat(number(call, "aiops.call.attempts")).isEqualTo(2);
        // where in the workflow: fine on a span, never a metric label
        assertThat(string(call, "bpmn_process_id")).isEqualTo("ticket-triage");
        assertThat(string(call, "element_id")).isEqualTo("classify_ticket");
        assertThat(number(call, "process_instance_key")).isEqualTo(2251799813685249L);
        assertThat(number(call, "element_instance_key")).isEqualTo(ELEMENT_INSTANCE_KEY);
        assertThat(string(call, "project")).isEqualTo("support");
        assertThat(string(call, "aiops.call.id")).isEqualTo(CALL_ID);
        assertThat(string(call, "aiops.decision.id")).isEqualTo(DECISION_ID.toString());
        assertThat(call.getAttributes().get(AttributeKey.doubleKey("gen_ai.usage.cost.amount")))
                .isEqualTo(0.00042);
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        SpanData decision = only(spans, "aiops.policy.decide", SpanKind.CLIENT);
        assertThat(decision.getParentSpanId()).isEqualTo(call.getSpanId());
        assertThat(decision.getAttributes().get(AttributeKey.booleanKey("aiops.decision.allowed")))
                .isTrue();
        assertThat(decision.getAttributes().get(AttributeKey.stringArrayKey("aiops.decision.candidates")))
                .containsExactly("primary/gpt-4o", "secondary/gpt-4o-mini");

        SpanData failed = only(spans, "chat gpt-4o", SpanKind.CLIENT);
        assertThat(failed.getParentSpanId()).isEqualTo(call.getSpanId());
        assertThat(string(failed, "gen_ai.provider.name")).isEqualTo("primary");
        assertThat(string(failed, "error.type")).isEqualTo("OVERLOADED");
        assertThat(number(failed, "aiops.attempt.number")).isEqualTo(1);
        assertThat(number(failed, "http.response.status_code")).isEqualTo(503);
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

        SpanData answered = only(spans, "chat gpt-4o-mini", SpanKind.CLIENT);
        assertThat(answered.getParentSpanId()).isEqualTo(call.getSpanId());
        assertThat(number(answered, "aiops.attempt.number")).isEqualTo(2);
        assertThat(number(answered, "gen_ai.usage.input_tokens")).isEqualTo(1200);
        assertThat(number(answered, "gen_ai.usage.cache_read.input_tokens")).isEqualTo(1000);
        assertThat(number(answered, "gen_ai.usage.reasoning.output_tokens")).isEqualTo(120);
        assertThat(string(answered, "gen_ai.response.model")).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(answered.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isNull();

        assertThat(spans)
                .hasSize(4)
                .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(call.getTraceId()));
        // the ledger learns the trace: the outcome carries the call span's trace id
        JsonNode outcome = outcomeSent();
        assertThat(outcome.path("traceId").asText())
                .isEqualTo(call.getTraceId())
                .matches("[0-9a-f]{32}");
    }

    @Test
    void everyScoreOfEveryAnswerIsAnEvaluationEventOnTheCallsSpan() throws Exception {
        Map<String, Object> schema = Map.of(
                "type",
                "object",
                "required",
                List.of("total"),
                "properties",
                Map.of("total", Map.of("type", "number")));
        stubDecision(allowed(candidate("primary", "gpt-4o-mini"), candidate("secondary", "gpt-4o")));
        stubCompletion("primary", 200, completion("gpt-4o-mini", "{\"total\":\"twelve\"}", 50, 12, 0, 0));
        stubCompletion("secondary", 200, completion("gpt-4o", "{\"total\":12.5}", 50, 10, 0, 0));
        stubOutcome("0.00002");

        function.execute(context(Map.of(
                "project", "support",
                "taskKind", "extract",
                "prompt", "Extract the total",
                "jsonSchema", schema,
                "qualityGate", "schema_valid")));

        SpanData call = only(exported.getFinishedSpanItems(), "chat gpt-4o", SpanKind.INTERNAL);
        List<EventData> evaluations = call.getEvents().stream()
                .filter(e -> e.getName().equals("gen_ai.evaluation.result"))
                .toList();
        JsonNode scores = outcomeSent().path("scores");
        assertThat(evaluations).hasSize(scores.size()).isNotEmpty();
        EventData turnedAway = evaluation(evaluations, "schema_valid", 1);
        assertThat(turnedAway.getAttributes().get(AttributeKey.doubleKey("gen_ai.evaluation.score.value")))
                .isEqualTo(0.0);
        assertThat(turnedAway.getAttributes().get(AttributeKey.stringKey("gen_ai.evaluation.score.label")))
                .isEqualTo("fail");
        assertThat(turnedAway.getAttributes().get(AttributeKey.stringKey("gen_ai.evaluation.explanation")))
                .contains("total");
        EventData passed = evaluation(evaluations, "schema_valid", 2);
        assertThat(passed.getAttributes().get(AttributeKey.doubleKey("gen_ai.evaluation.score.value")))
                .isEqualTo(1.0);
        assertThat(passed.getAttributes().get(AttributeKey.stringKey("gen_ai.evaluation.score.label")))
                .isEqualTo("pass");
        // the answer the gate turned away was paid for: its tokens count in the call's usage
        assertThat(number(call, "gen_ai.usage.output_tokens")).isEqualTo(22);
    }

    @Test
    void aJudgesGradeIsAnEvaluationEventOnTheJudgesSpanInTheJudgedCallsTrace() throws Exception {
        AiCallPipeline judging = pipeline(openTelemetry);
        AiTaskConnectorFunction judged = new AiTaskConnectorFunction(judging);
        UUID judgeDecision = UUID.fromString("7e57ab1e-0000-4000-8000-00000000b0b0");
        wire.stubFor(get(urlEqualTo("/api/v1/projects/support/judge/effective?bpmnProcessId=ticket-triage"))
                .willReturn(okJson("{\"sampleRate\":1,\"provider\":\"secondary\",\"model\":\"gpt-4o\","
                        + "\"criteria\":\"One of the categories.\",\"scoreName\":\"judge_score\","
                        + "\"maxOutputTokens\":100}")));
        stubDecision(allowed(candidate("primary", "gpt-4o-mini")));
        WireStubs.decision(
                wire,
                "judge:" + CALL_ID,
                "{\"decisionId\":\"" + judgeDecision + "\",\"allowed\":true,\"candidates\":["
                        + candidate("secondary", "gpt-4o") + "]}");
        stubCompletion("primary", 200, completion("gpt-4o-mini", "billing", 42, 7, 0, 0));
        stubCompletion(
                "secondary",
                200,
                completion("gpt-4o", "{\"score\":0.4,\"explanation\":\"close, not exact\"}", 90, 12, 0, 0));
        stubOutcome("0.00001");
        WireStubs.outcome(wire, judgeDecision, UUID.randomUUID(), "0.0003");
        wire.stubFor(post(urlEqualTo("/api/v1/feedback"))
                .willReturn(okJson("{\"feedbackId\":\"" + UUID.randomUUID() + "\",\"callId\":\"" + CALL_ID
                        + "\",\"scores\":1,\"recordedAt\":\"2026-11-26T10:00:00Z\",\"repeated\":false}")));

        judged.execute(context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));
        // the judge runs after the job; closing waits for it
        judging.close();

        List<SpanData> spans = exported.getFinishedSpanItems();
        SpanData call = only(spans, "chat gpt-4o-mini", SpanKind.INTERNAL);
        SpanData judge = only(spans, "chat gpt-4o", SpanKind.INTERNAL);
        // in the judged call's trace, below its span (which had ended when the judge began)
        assertThat(judge.getTraceId()).isEqualTo(call.getTraceId());
        assertThat(judge.getParentSpanId()).isEqualTo(call.getSpanId());
        assertThat(string(judge, "task_kind")).isEqualTo("judge");
        assertThat(string(judge, "aiops.judged_call.id")).isEqualTo(CALL_ID);
        assertThat(string(judge, "aiops.decision.id")).isEqualTo(judgeDecision.toString());
        assertThat(number(judge, "gen_ai.usage.input_tokens")).isEqualTo(90);
        EventData grade = judge.getEvents().stream()
                .filter(e -> e.getName().equals("gen_ai.evaluation.result"))
                .findFirst()
                .orElseThrow();
        assertThat(grade.getAttributes().get(AttributeKey.stringKey("gen_ai.evaluation.name")))
                .isEqualTo("judge_score");
        assertThat(grade.getAttributes().get(AttributeKey.doubleKey("gen_ai.evaluation.score.value")))
                .isEqualTo(0.4);
        assertThat(grade.getAttributes().get(AttributeKey.stringKey("gen_ai.evaluation.explanation")))
                .isEqualTo("close, not exact");
        SpanData judgeRequest = only(spans, "chat gpt-4o", SpanKind.CLIENT);
        assertThat(judgeRequest.getParentSpanId()).isEqualTo(judge.getSpanId());
        assertThat(spans.stream().filter(span -> span.getName().equals("aiops.policy.decide")))
                .hasSize(2)
                .anySatisfy(decision -> assertThat(decision.getParentSpanId()).isEqualTo(judge.getSpanId()));
    }

    @Test
    void aDenialEndsTheSpanAsAnErrorWithTheBpmnErrorCodeAndTheDecisionsReason() {
        stubDecision("{\"decisionId\":\"" + DECISION_ID + "\",\"allowed\":false,\"reason\":\"BUDGET_EXCEEDED\","
                + "\"reasonMessage\":\"Budget support-monthly has 0.01 USD left\",\"candidates\":[]}");

        assertThatThrownBy(() -> function.execute(
                        context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong"))))
                .isInstanceOf(ConnectorException.class);

        List<SpanData> spans = exported.getFinishedSpanItems();
        // no model was offered: the span has the operation's name only
        SpanData call = only(spans, "chat", SpanKind.INTERNAL);
        assertThat(string(call, "error.type")).isEqualTo("AI_BUDGET_EXCEEDED");
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        SpanData decision = only(spans, "aiops.policy.decide", SpanKind.CLIENT);
        assertThat(decision.getAttributes().get(AttributeKey.booleanKey("aiops.decision.allowed")))
                .isFalse();
        assertThat(string(decision, "aiops.decision.reason")).isEqualTo("BUDGET_EXCEEDED");
        assertThat(spans).hasSize(2);
    }

    @Test
    void aSpanOfTheHostBecomesTheCallsParent() throws Exception {
        stubDecision(allowed(candidate("primary", "gpt-4o-mini")));
        stubCompletion("primary", 200, completion("gpt-4o-mini", "billing", 42, 7, 0, 0));
        stubOutcome("0.00001");
        Span job = openTelemetry.getTracer("host").spanBuilder("job").startSpan();

        try (Scope ignored = job.makeCurrent()) {
            function.execute(
                    context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));
        } finally {
            job.end();
        }

        SpanData call = only(exported.getFinishedSpanItems(), "chat gpt-4o-mini", SpanKind.INTERNAL);
        assertThat(call.getParentSpanId()).isEqualTo(job.getSpanContext().getSpanId());
        assertThat(outcomeSent().path("traceId").asText())
                .isEqualTo(job.getSpanContext().getTraceId());
    }

    @Test
    void withoutAnOpenTelemetrySdkNothingIsTracedAndTheOutcomeCarriesNoTraceId() throws Exception {
        AiTaskConnectorFunction untraced =
                new AiTaskConnectorFunction(pipeline(io.opentelemetry.api.OpenTelemetry.noop()));
        stubDecision(allowed(candidate("primary", "gpt-4o-mini")));
        stubCompletion("primary", 200, completion("gpt-4o-mini", "billing", 42, 7, 0, 0));
        stubOutcome("0.00001");

        untraced.execute(
                context(Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong")));

        assertThat(exported.getFinishedSpanItems()).isEmpty();
        assertThat(outcomeSent().path("traceId").isNull())
                .as("traceId sent as null")
                .isTrue();
    }

    // ---- fixtures

    static SpanData only(List<SpanData> spans, String name, SpanKind kind) {
        List<SpanData> named = spans.stream()
                .filter(s -> s.getName().equals(name) && s.getKind() == kind)
                .toList();
        assertThat(named).as("%s spans named %s among %s", kind, name, spans).hasSize(1);
        return named.getFirst();
    }

    static String string(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    static Long number(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.longKey(key));
    }

    static EventData evaluation(List<EventData> events, String name, long attemptNo) {
        return events.stream()
                .filter(e -> name.equals(e.getAttributes().get(AttributeKey.stringKey("gen_ai.evaluation.name"))))
                .filter(e -> Long.valueOf(attemptNo)
                        .equals(e.getAttributes().get(AttributeKey.longKey("aiops.attempt.number"))))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no evaluation " + name + " of attempt " + attemptNo));
    }

    static String completion(String model, String text, int input, int output, int cached, int reasoning) {
        String content = PolicyClient.JSON.valueToTree(text).toString();
        return "{\"id\":\"chatcmpl-7\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + content
                + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + input + ",\"completion_tokens\":"
                + output + ",\"total_tokens\":" + (input + output) + ",\"prompt_tokens_details\":{\"cached_tokens\":"
                + cached + "},\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoning + "}}}";
    }

    static void stubDecision(String decisionJson) {
        WireStubs.decision(wire, "ei:" + ELEMENT_INSTANCE_KEY + ":1", decisionJson);
    }

    static void stubCompletion(String provider, int status, String body) {
        WireStubs.completion(wire, provider, status, body);
    }

    static void stubOutcome(String costUsd) {
        WireStubs.outcome(wire, DECISION_ID, UUID.fromString(CALL_ID), costUsd);
    }

    static JsonNode outcomeSent() {
        return WireStubs.body(WireStubs.onlyRequest(wire, "/api/v1/decisions/" + DECISION_ID + "/outcome"));
    }
}
