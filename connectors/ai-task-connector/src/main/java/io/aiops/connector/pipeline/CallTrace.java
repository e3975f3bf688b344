package io.aiops.connector.pipeline;

import io.aiops.connector.model.AiCallRecord;
import io.aiops.connector.model.AiTaskRequest;
import io.aiops.core.ProcessCoordinates;
import io.aiops.core.TokenUsage;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.JudgeSettings;
import io.aiops.policy.api.Score;
import io.aiops.providers.AttemptResult;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The OpenTelemetry spans of one AI task: the call's span ({@code chat <model>}, the GenAI attributes, usage summed over
 * its attempts, one {@code gen_ai.evaluation.result} event per score), a child span per policy decision asked for and
 * one per request sent to a provider. Through {@link OpenTelemetry#noop()} (the default) every span is a no-op and no
 * attribute is computed. Times come from the pipeline's clock, so a test with a fixed clock sees fixed timestamps.
 */
final class CallTrace {

    /** The instrumentation scope the spans are reported under. */
    static final String SCOPE = "io.aiops.connector";

    /** The GenAI operation every AI task performs. */
    static final String OPERATION = "chat";

    static final String DECISION_SPAN = "aiops.policy.decide";

    static final String EVALUATION_EVENT = "gen_ai.evaluation.result";

    // OpenTelemetry GenAI semantic conventions (Development status)
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
    static final AttributeKey<List<String>> FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<Long> CACHE_CREATION_TOKENS =
            AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
    static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> EVALUATION_NAME = AttributeKey.stringKey("gen_ai.evaluation.name");
    static final AttributeKey<Double> EVALUATION_VALUE = AttributeKey.doubleKey("gen_ai.evaluation.score.value");
    static final AttributeKey<String> EVALUATION_LABEL = AttributeKey.stringKey("gen_ai.evaluation.score.label");
    static final AttributeKey<String> EVALUATION_EXPLANATION = AttributeKey.stringKey("gen_ai.evaluation.explanation");
    // cost has no convention yet: the open proposal's names, as on the gen_ai.client.cost metric
    static final AttributeKey<Double> COST_AMOUNT = AttributeKey.doubleKey("gen_ai.usage.cost.amount");
    static final AttributeKey<String> COST_CURRENCY = AttributeKey.stringKey("gen_ai.usage.cost.currency");

    // where in the workflow, named as the metric labels are; unlike labels, a span may carry the instance
    static final AttributeKey<String> PROJECT = AttributeKey.stringKey("project");
    static final AttributeKey<String> TASK_KIND = AttributeKey.stringKey("task_kind");
    static final AttributeKey<String> BPMN_PROCESS_ID = AttributeKey.stringKey("bpmn_process_id");
    static final AttributeKey<String> ELEMENT_ID = AttributeKey.stringKey("element_id");
    static final AttributeKey<Long> PROCESS_INSTANCE_KEY = AttributeKey.longKey("process_instance_key");
    static final AttributeKey<Long> ELEMENT_INSTANCE_KEY = AttributeKey.longKey("element_instance_key");
    static final AttributeKey<Long> JOB_KEY = AttributeKey.longKey("job_key");
    static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey("tenant_id");

    static final AttributeKey<String> DECISION_ID = AttributeKey.stringKey("aiops.decision.id");
    static final AttributeKey<Boolean> DECISION_ALLOWED = AttributeKey.booleanKey("aiops.decision.allowed");
    static final AttributeKey<String> DECISION_REASON = AttributeKey.stringKey("aiops.decision.reason");
    static final AttributeKey<List<String>> DECISION_CANDIDATES =
            AttributeKey.stringArrayKey("aiops.decision.candidates");
    static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("aiops.call.id");
    static final AttributeKey<String> JUDGED_CALL_ID = AttributeKey.stringKey("aiops.judged_call.id");
    static final AttributeKey<Boolean> CALL_REPLAYED = AttributeKey.booleanKey("aiops.call.replayed");
    static final AttributeKey<Boolean> CALL_UNAPPROVED = AttributeKey.booleanKey("aiops.call.unapproved");
    static final AttributeKey<Long> CALL_ATTEMPTS = AttributeKey.longKey("aiops.call.attempts");
    static final AttributeKey<Long> ATTEMPT_NUMBER = AttributeKey.longKey("aiops.attempt.number");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    private final Tracer tracer;
    private final Clock clock;
    private final Span span;
    private final boolean recording;
    private TokenUsage usage = TokenUsage.NONE;
    private int attempts;
    private Decision.Candidate requested;

    private CallTrace(Tracer tracer, Clock clock, Span span) {
        this.tracer = tracer;
        this.clock = clock;
        this.span = span;
        this.recording = span.isRecording();
    }

    /** Starts the span of one AI task, a child of whatever span is current on this thread. */
    static CallTrace start(Tracer tracer, Clock clock, CallContext context, AiTaskRequest request) {
        Span span = tracer.spanBuilder(OPERATION)
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(clock.instant())
                .startSpan();
        CallTrace trace = new CallTrace(tracer, clock, span);
        if (trace.recording) {
            ProcessCoordinates where = context.where();
            span.setAttribute(OPERATION_NAME, OPERATION);
            span.setAttribute(PROJECT, request.project());
            span.setAttribute(TASK_KIND, request.taskKind());
            span.setAttribute(BPMN_PROCESS_ID, where.bpmnProcessId());
            span.setAttribute(ELEMENT_ID, where.elementId());
            span.setAttribute(PROCESS_INSTANCE_KEY, where.processInstanceKey());
            span.setAttribute(ELEMENT_INSTANCE_KEY, where.elementInstanceKey());
            if (where.jobKey() != null) {
                span.setAttribute(JOB_KEY, where.jobKey());
            }
            if (where.tenantId() != null) {
                span.setAttribute(TENANT_ID, where.tenantId());
            }
            span.setAttribute(REQUEST_MAX_TOKENS, (long) request.maxOutputTokens());
        }
        return trace;
    }

    /**
     * The span of a judge grading a recorded call: a child of the judged call's span (ended by then, which tracing
     * allows), so the grade sits in the call's trace. Its decision, requests and the grade's
     * {@code gen_ai.evaluation.result} event are recorded as on a call's span; without a traced call it starts a trace
     * of its own.
     */
    static CallTrace judging(
            Tracer tracer, Clock clock, SpanContext judgedCall, ProcessCoordinates where, String project, UUID callId) {
        Context parent =
                judgedCall != null && judgedCall.isValid() ? Context.root().with(Span.wrap(judgedCall)) : null;
        var builder =
                tracer.spanBuilder(OPERATION).setSpanKind(SpanKind.INTERNAL).setStartTimestamp(clock.instant());
        Span span = (parent == null ? builder.setNoParent() : builder.setParent(parent)).startSpan();
        CallTrace trace = new CallTrace(tracer, clock, span);
        if (trace.recording) {
            span.setAttribute(OPERATION_NAME, OPERATION);
            span.setAttribute(PROJECT, project);
            span.setAttribute(TASK_KIND, JudgeSettings.TASK_KIND);
            span.setAttribute(BPMN_PROCESS_ID, where.bpmnProcessId());
            span.setAttribute(ELEMENT_ID, where.elementId());
            span.setAttribute(PROCESS_INSTANCE_KEY, where.processInstanceKey());
            span.setAttribute(JUDGED_CALL_ID, callId.toString());
        }
        return trace;
    }

    /** The call's span as a parent for work after it ended (its judge); invalid when nothing traces the call. */
    SpanContext spanContext() {
        return span.getSpanContext();
    }

    /** A tracer of the given OpenTelemetry instance, under this connector's scope. */
    static Tracer tracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer(SCOPE);
    }

    /** Makes the call's span current, so spans started by a host's instrumentation below it become its children. */
    Scope makeCurrent() {
        return span.makeCurrent();
    }

    /**
     * The W3C trace id the call is traced under, as the ledger stores it; null when nothing traces it (no SDK, or not
     * sampled and no traced parent).
     */
    String traceId() {
        return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
    }

    /** The policy decision, a child span from {@code started} to now. */
    void decided(Instant started, Decision decision) {
        if (!recording) {
            return;
        }
        Span child = child(DECISION_SPAN, SpanKind.CLIENT, started);
        child.setAttribute(DECISION_ID, String.valueOf(decision.decisionId()));
        child.setAttribute(DECISION_ALLOWED, decision.allowed());
        if (decision.reason() != null) {
            child.setAttribute(DECISION_REASON, decision.reason().name());
            child.setStatus(StatusCode.ERROR, decision.reasonMessage() == null ? "" : decision.reasonMessage());
        }
        child.setAttribute(
                DECISION_CANDIDATES,
                decision.candidates().stream()
                        .map(c -> c.provider() + "/" + c.model())
                        .toList());
        child.end(clock.instant());
        span.setAttribute(DECISION_ID, String.valueOf(decision.decisionId()));
        if (!decision.candidates().isEmpty() && requested == null) {
            requested = decision.candidates().getFirst();
        }
    }

    /** No decision could be had (the policy service unavailable): a failed child span from {@code started} to now. */
    void undecided(Instant started, RuntimeException failure, String errorType) {
        if (!recording) {
            return;
        }
        Span child = child(DECISION_SPAN, SpanKind.CLIENT, started);
        child.setAttribute(ERROR_TYPE, errorType);
        child.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        child.end(clock.instant());
    }

    /** A call made without a decision (failing open). */
    void unapproved() {
        if (recording) {
            span.setAttribute(CALL_UNAPPROVED, true);
        }
    }

    /** One request sent to {@code candidate}'s provider, a CLIENT child span over the time it took. */
    void attempt(Decision.Candidate candidate, AttemptResult attempt, CompletionResponse answer) {
        if (!recording) {
            return;
        }
        attempts++;
        requested = candidate;
        TokenUsage attemptUsage = attempt.usage() == null ? TokenUsage.NONE : attempt.usage();
        usage = usage.plus(attemptUsage);
        String model = attempt.model() == null ? candidate.model() : attempt.model();
        Instant started = attempt.startedAt() == null ? clock.instant() : attempt.startedAt();
        Span child = tracer.spanBuilder(OPERATION + " " + model)
                .setParent(Context.current().with(span))
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(started)
                .startSpan();
        child.setAttribute(OPERATION_NAME, OPERATION);
        child.setAttribute(PROVIDER_NAME, attempt.provider() == null ? candidate.provider() : attempt.provider());
        child.setAttribute(REQUEST_MODEL, model);
        child.setAttribute(ATTEMPT_NUMBER, (long) attempts);
        if (attempt.httpStatus() > 0) {
            child.setAttribute(HTTP_STATUS, (long) attempt.httpStatus());
        }
        if (attempt.succeeded()) {
            usage(child, attemptUsage);
            if (answer != null) {
                response(child, answer);
            }
        } else {
            ErrorClass error = attempt.errorClass();
            child.setAttribute(ERROR_TYPE, error.name());
            child.setStatus(StatusCode.ERROR, String.valueOf(attempt.errorMessage()));
        }
        child.end(attempt.latency() == null ? clock.instant() : started.plus(attempt.latency()));
    }

    /** A candidate passed over before any request (open circuit, local rate limit, full bulkhead). */
    void refused(Decision.Candidate candidate, String errorType) {
        if (recording) {
            span.addEvent(
                    "aiops.candidate.refused",
                    Attributes.of(
                            PROVIDER_NAME,
                            candidate.provider(),
                            REQUEST_MODEL,
                            candidate.model(),
                            ERROR_TYPE,
                            errorType),
                    clock.instant());
        }
    }

    /** The answer the call returns (it passed the quality gate): the call's span is named after its model. */
    void answered(Decision.Candidate candidate, CompletionResponse answer) {
        if (!recording) {
            return;
        }
        requested = candidate;
        response(span, answer);
    }

    /** Each score of an answer, as a {@code gen_ai.evaluation.result} event on the call's span. */
    void scored(List<Score> scores) {
        if (!recording) {
            return;
        }
        Instant now = clock.instant();
        for (Score score : scores) {
            AttributesBuilder event = Attributes.builder().put(EVALUATION_NAME, score.name());
            if (score.value() != null) {
                event.put(EVALUATION_VALUE, score.value().doubleValue());
            }
            String label =
                    score.label() != null ? score.label() : score.passed() ? "pass" : score.failed() ? "fail" : null;
            if (label != null) {
                event.put(EVALUATION_LABEL, label);
            }
            if (score.explanation() != null) {
                event.put(EVALUATION_EXPLANATION, score.explanation());
            }
            if (score.attemptNo() != null) {
                event.put(ATTEMPT_NUMBER, (long) score.attemptNo());
            }
            span.addEvent(EVALUATION_EVENT, event.build(), now);
        }
    }

    /** The task's result: the ledger's call id and cost. */
    void finished(AiCallRecord call) {
        if (!recording || call == null) {
            return;
        }
        if (call.callId() != null) {
            span.setAttribute(CALL_ID, call.callId().toString());
        }
        if (call.costUsd() != null) {
            span.setAttribute(COST_AMOUNT, call.costUsd().doubleValue());
            span.setAttribute(COST_CURRENCY, "USD");
        }
        if (call.replayed()) {
            span.setAttribute(CALL_REPLAYED, true);
        }
        if (requested == null && call.model() != null) {
            requested = new Decision.Candidate(call.provider(), call.model(), 0, 0);
        }
    }

    /** The task failed with {@code errorType} (a BPMN error code, a retryable code, or an exception's class). */
    void failed(String errorType, RuntimeException failure) {
        if (recording) {
            span.setAttribute(ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
    }

    /** Ends the call's span, named after the model that answered, else the last one tried, else the first offered. */
    void end() {
        if (recording) {
            if (requested != null) {
                span.updateName(OPERATION + " " + requested.model());
                span.setAttribute(PROVIDER_NAME, requested.provider());
                span.setAttribute(REQUEST_MODEL, requested.model());
            }
            if (attempts > 0) {
                span.setAttribute(CALL_ATTEMPTS, (long) attempts);
                usage(span, usage);
            }
        }
        span.end(clock.instant());
    }

    private Span child(String name, SpanKind kind, Instant started) {
        return tracer.spanBuilder(name)
                .setParent(Context.current().with(span))
                .setSpanKind(kind)
                .setStartTimestamp(started)
                .startSpan();
    }

    private static void usage(Span target, TokenUsage u) {
        target.setAttribute(INPUT_TOKENS, u.inputTokens());
        target.setAttribute(OUTPUT_TOKENS, u.outputTokens());
        target.setAttribute(CACHE_READ_TOKENS, u.cachedInputTokens());
        target.setAttribute(CACHE_CREATION_TOKENS, u.cacheWriteInputTokens());
        target.setAttribute(REASONING_TOKENS, u.reasoningTokens());
    }

    private static void response(Span target, CompletionResponse answer) {
        if (answer.responseModel() != null) {
            target.setAttribute(RESPONSE_MODEL, answer.responseModel());
        }
        if (answer.responseId() != null) {
            target.setAttribute(RESPONSE_ID, answer.responseId());
        }
        if (answer.finishReason() != null) {
            target.setAttribute(FINISH_REASONS, List.of(answer.finishReason()));
        }
    }
}
