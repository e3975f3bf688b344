package io.aiops.connector.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.connector.failopen.FailOpen;
import io.aiops.connector.failopen.UnapprovedCallSpool.SpooledCall;
import io.aiops.connector.model.AiCallRecord;
import io.aiops.connector.model.AiTaskRequest;
import io.aiops.connector.model.AiTaskResult;
import io.aiops.connector.pipeline.CallObserver.Where;
import io.aiops.connector.quality.AnswerRules;
import io.aiops.connector.quality.CheckedAnswer;
import io.aiops.core.TokenUsage;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.SettledCall;
import io.aiops.policy.api.UnapprovedCall;
import io.aiops.providers.AttemptResult;
import io.aiops.providers.CompletionRequest;
import io.aiops.providers.CompletionResponse;
import io.aiops.providers.ErrorClass;
import io.aiops.providers.ProviderAdapter;
import io.aiops.providers.ProviderCallException;
import io.aiops.providers.ProviderCallResult;
import io.aiops.providers.ProviderRegistry;
import io.aiops.providers.ResilientProviderCaller;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one AI-call path every host runs: ask the policy service, call the allowed candidates in order (failover),
 * report every attempt, and return the answer with its ledger record. Plain Java, so the connector runtime and a plain
 * job worker share it.
 */
public final class AiCallPipeline implements AutoCloseable {

    /** Rough characters per token, used to size the reservation when the diagram gives no estimate. */
    static final int CHARS_PER_TOKEN = 4;

    /**
     * Bounds how many settled-and-failed deliveries are skipped; far above any sane job retry count, it only stops a
     * misbehaving policy service from looping forever.
     */
    static final int MAX_DELIVERIES = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(AiCallPipeline.class);
    private static final ObjectMapper JSON = PolicyClient.JSON;

    /** The longest reason an unapproved call carries (the service accepts up to 2,000 characters). */
    static final int MAX_REASON_CHARS = 1_000;

    /** Tries to record an outcome this many times before failing the job. */
    static final int OUTCOME_ATTEMPTS = 3;

    /** First wait between outcome attempts; doubled after each. */
    public static final Duration OUTCOME_RETRY_WAIT = Duration.ofMillis(500);

    /** The variable an {@link AiTaskBpmnError#QUALITY_GATE_FAILED} error hands to its catching scope. */
    public static final String QUALITY_FAILURE_VARIABLE = "aiQualityFailure";

    /** Kept back from the task's deadline for reporting the outcome and completing the job. */
    static final Duration DEADLINE_MARGIN = Duration.ofMillis(500);

    /** A candidate is not started with less time than this left before the deadline. */
    static final Duration MIN_CANDIDATE_TIME = Duration.ofMillis(500);

    private final PolicyClient policy;
    private final CandidateCaller caller;
    private final Clock clock;
    private final Retry outcomeRetry;
    private final AnswerKeeper keeper;
    private final FailOpen failOpen;
    private final PromptResolver prompts;
    private final JudgeRunner judges;
    private final CallObserver observer;
    private final Tracer tracer;

    private AiCallPipeline(Builder builder, PolicyClient policy, CandidateCaller caller, FailOpen failOpen) {
        this.policy = policy;
        this.caller = caller;
        this.failOpen = failOpen;
        this.clock = builder.clock;
        this.keeper = builder.keeper;
        this.prompts = new PromptResolver(policy, builder.clock);

        this.observer = builder.observer;
        this.tracer = CallTrace.tracer(builder.openTelemetry);
        this.outcomeRetry = Retry.of(
                "policy-outcome",
                RetryConfig.custom()
                        .maxAttempts(OUTCOME_ATTEMPTS)
                        .intervalFunction(IntervalFunction.ofExponentialBackoff(builder.outcomeRetryWait, 2.0))
                        .retryOnException(AiCallPipeline::outcomeWorthRetrying)
                        .build());
        this.judges = new JudgeRunner(policy, caller, builder.clock, outcomeRetry, tracer);
    }

    /** How long closing waits for the judges running (their calls are paid; their outcomes must be recorded). */
    public static final Duration JUDGE_DRAIN = Duration.ofSeconds(30);

    /**
     * Waits up to {@link #JUDGE_DRAIN} for the judges running, then stops; a host calls this when it shuts down (Spring
     * does, for a pipeline bean). Jobs are not affected: a job in flight is redelivered by Zeebe.
     */
    @Override
    public void close() {
        judges.close(JUDGE_DRAIN);
    }

    /** The one way every host builds the pipeline. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the pipeline. A host gives its {@link PipelineSettings}; what it shares with other parts of itself (the
     * policy client, the provider caller whose circuit breakers a health reporter watches, the fail-open state whose
     * spool it closes) it passes in, and everything else is made from the settings. A test may instead give a policy
     * client and a {@link CandidateCaller} of its own.
     */
    public static final class Builder {
        private PipelineSettings settings;
        private PolicyClient policy;
        private ResilientProviderCaller providerCaller;
        private CandidateCaller candidates;
        private Collection<? extends ProviderAdapter> adapters;
        private Clock clock = Clock.systemUTC();
        private Duration outcomeRetryWait = OUTCOME_RETRY_WAIT;
        private AnswerKeeper keeper = AnswerKeeper.NONE;
        private FailOpen failOpen;
        private CallObserver observer = CallObserver.NONE;
        private OpenTelemetry openTelemetry = OpenTelemetry.noop();

        private Builder() {}

        /**
         * Where the calls' spans go (docs/tracing.md); default: {@link OpenTelemetry#noop()}, which records nothing and
         * sends no trace id to the ledger.
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /** Who watches the calls for the host's metrics; default: nobody. */
        public Builder observer(CallObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Where the policy service is, the provider endpoints and their resilience, the fail-open settings. */
        public Builder settings(PipelineSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The client of the policy service; default: one made from the settings. */
        public Builder policy(PolicyClient policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The caller with the circuit breakers, rate limiters and bulkheads; default: one from the settings. */
        public Builder providerCaller(ResilientProviderCaller providerCaller) {
            this.providerCaller = Objects.requireNonNull(providerCaller, "providerCaller");
            return this;
        }

        /** The adapters, one per wire format; default: the built-in ones. */
        public Builder adapters(Collection<? extends ProviderAdapter> adapters) {
            this.adapters = Objects.requireNonNull(adapters, "adapters");
            return this;
        }

        /** Calls a candidate model instead of the settings' provider endpoints (tests). */
        public Builder candidates(CandidateCaller candidates) {
            this.candidates = Objects.requireNonNull(candidates, "candidates");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The first wait between attempts to record an outcome (default {@link #OUTCOME_RETRY_WAIT}, doubled after
         * each). The model has been paid for by then, so a brief outage of the policy service is waited out; a longer
         * one fails the job, and the next delivery reports the answer the {@link AnswerKeeper} kept instead of calling
         * the model again (the outcome is idempotent on the service, so a repeated post changes nothing).
         */
        public Builder outcomeRetryWait(Duration outcomeRetryWait) {
            this.outcomeRetryWait = Objects.requireNonNull(outcomeRetryWait, "outcomeRetryWait");
            return this;
        }

        /** Where paid answers are kept with their job before their outcome is reported; default: nowhere. */
        public Builder answerKeeper(AnswerKeeper keeper) {
            this.keeper = Objects.requireNonNull(keeper, "keeper");
            return this;
        }

        /**
         * What this worker may do while the policy service is unavailable; default: opened from the settings (its spool
         * replayed every few seconds), or {@link FailOpen#OFF} without settings.
         */
        public Builder failOpen(FailOpen failOpen) {
            this.failOpen = Objects.requireNonNull(failOpen, "failOpen");
            return this;
        }

        public AiCallPipeline build() {
            if (settings == null && (policy == null || candidates == null)) {
                throw new IllegalStateException(
                        "the pipeline needs settings, or a policy client and a candidate caller");
            }
            PolicyClient policyClient = policy != null ? policy : settings.policyClient();
            CandidateCaller candidateCaller = candidates;
            if (candidateCaller == null) {
                ResilientProviderCaller resilient = providerCaller != null
                        ? providerCaller
                        : new ResilientProviderCaller(settings.resilience(), clock);
                ProviderRegistry registry = new ProviderRegistry(
                        settings.providers(), adapters != null ? adapters : ProviderRegistry.builtInAdapters());
                candidateCaller = new RegistryCandidateCaller(registry, resilient, clock);
            }
            FailOpen failing = failOpen != null
                    ? failOpen
                    : settings != null ? settings.failOpen().open(policyClient) : FailOpen.OFF;
            return new AiCallPipeline(this, policyClient, candidateCaller, failing);
        }
    }

    /** Transport failures, 5xx and 429 may pass; a 4xx answer is final and the same post would get it again. */
    private static boolean outcomeWorthRetrying(Throwable failure) {
        return failure instanceof PolicyServiceException e
                && (e.status() == 0 || e.status() == 429 || e.status() >= 500);
    }

    /**
     * Runs one AI task.
     *
     * @throws AiTaskBpmnError when the workflow must handle the result (denied, request rejected)
     * @throws AiTaskRetryableException when running the job again later may succeed
     */
    public AiTaskResult run(CallContext context, AiTaskRequest request) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(request, "request");
        CallTrace trace = CallTrace.start(tracer, clock, context, request);
        try (Scope ignored = trace.makeCurrent()) {
            AiTaskResult result = run(context, request, trace);
            trace.finished(result.aiCall());
            return result;
        } catch (AiTaskBpmnError e) {
            trace.failed(e.code(), e);
            throw e;
        } catch (AiTaskRetryableException e) {
            trace.failed(e.code(), e);
            throw e;
        } catch (RuntimeException e) {
            trace.failed(e.getClass().getName(), e);
            throw e;
        } finally {
            trace.end();
        }
    }

    private AiTaskResult run(CallContext context, AiTaskRequest request, CallTrace trace) {
        // a schema that is none or a gate naming an unknown check fails here, before a decision is asked for
        AnswerRules rules = AnswerRules.of(request);
        if (context.keptAnswer() != null) {
            return recordKept(context.keptAnswer(), rules);
        }
        PromptResolver.Resolved resolved = prompts.resolve(request);
        request = resolved.request();
        PromptResolver.PromptUse prompt = resolved.use();
        Instant deadline = deadlineOf(context, request);
        for (int delivery = 1; delivery <= MAX_DELIVERIES; delivery++) {
            Decision decision;
            Instant asked = clock.instant();
            try {
                decision = decide(context, request, idempotencyKey(context, delivery));
            } catch (AiTaskRetryableException unavailable) {
                trace.undecided(asked, unavailable, unavailable.code());
                return callUnapproved(context, request, rules, deadline, unavailable, prompt, trace);
            }
            trace.decided(asked, decision);
            failOpen.remember(request.project(), request.taskKind(), blankToNull(request.modelHint()), decision);
            SettledCall settled = decision.settledCall();
            if (!decision.allowed() && !(settled != null && settled.status() == CallStatus.SUCCEEDED)) {
                throw denial(decision);
            }
            if (settled == null) {
                return callCandidates(
                        context,
                        decision,
                        request,
                        rules,
                        deadline,
                        new Approved(decision.decisionId(), prompt, trace.traceId()),
                        trace);
            }
            if (settled.status() == CallStatus.SUCCEEDED && !redactsText(decision)) {
                LOG.info(
                        "Decision {} already settled by call {}: returning the recorded answer",
                        decision.decisionId(),
                        settled.callId());
                return replay(decision, settled, rules);
            }
            if (settled.status() == CallStatus.SUCCEEDED) {
                // the recorded answer is redacted or only a hash: the workflow needs the real one, so call again
                LOG.warn(
                        "Decision {} already settled by call {}, but its answer was stored redacted ({}); calling again "
                                + "under a new decision",
                        decision.decisionId(),
                        settled.callId(),
                        decision.redaction().mode());
            }
            // an earlier delivery ran and failed: its reservation is settled, so ask for a fresh decision
        }
        throw new IllegalStateException("element instance " + context.elementInstanceKey() + " has more than "
                + MAX_DELIVERIES + " failed deliveries recorded");
    }

    /** {@code ei:<elementInstanceKey>:<delivery>}: one decision per delivery of the element that needs one. */
    static String idempotencyKey(CallContext context, int delivery) {
        return "ei:" + context.elementInstanceKey() + ":" + delivery;
    }

    static int estimateInputTokens(AiTaskRequest request) {
        if (request.estimatedInputTokens() != null) {
            return request.estimatedInputTokens();
        }
        int chars = requestText(request).length();
        return Math.max(1, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }

    private Decision decide(CallContext context, AiTaskRequest request, String idempotencyKey) {
        DecisionRequest decisionRequest = decisionRequest(context, request, idempotencyKey);
        try {
            return policy.decide(decisionRequest);
        } catch (PolicyServiceException e) {
            if (e.isTransient()) {
                throw new AiTaskRetryableException(
                        AiTaskRetryableException.POLICY_SERVICE_UNAVAILABLE,
                        "Policy service at " + policy.baseUri() + " is unavailable, the job will be retried: "
                                + e.getMessage(),
                        null,
                        e);
            }
            throw e;
        }
    }

    private static DecisionRequest decisionRequest(CallContext context, AiTaskRequest request, String idempotencyKey) {
        return DecisionRequest.of(
                idempotencyKey,
                request.project(),
                context.where(),
                request.taskKind(),
                blankToNull(request.modelHint()),
                estimateInputTokens(request),
                request.maxOutputTokens(),
                request.tags());
    }

    /**
     * The policy service could not be asked. When the last decision this worker received for this kind of task allowed
     * failing open and the call fits the worker's cap, the decision's first model is called without a decision, and
     * the call is kept in the spool, flagged unapproved, until the service records it. Otherwise the job is retried.
     */
    private AiTaskResult callUnapproved(
            CallContext context,
            AiTaskRequest request,
            AnswerRules rules,
            Instant deadline,
            AiTaskRetryableException unavailable,
            PromptResolver.PromptUse prompt,
            CallTrace trace) {
        FailOpen.Opening opening = failOpen.open(
                request.project(),
                request.taskKind(),
                blankToNull(request.modelHint()),
                estimateInputTokens(request),
                request.maxOutputTokens());
        if (opening.grant() == null) {
            if (failOpen.enabled()) {
                LOG.info("Not failing open for {}: {}", request.project(), opening.refusal());
            }
            throw unavailable;
        }
        FailOpen.Grant grant = opening.grant();
        UUID decisionId = UUID.randomUUID();
        UnapprovedCall pending = new UnapprovedCall(
                decisionId,
                decisionRequest(context, request, "unapproved:" + decisionId),
                clock.instant(),
                failOpen.worker(),
                reasonOf(unavailable),
                null);
        Decision.Candidate candidate = grant.terms().candidate();
        LOG.warn(
                "Policy service unavailable and project {} fails open: calling {}/{} without a decision (unapproved"
                        + " call {}); {} of this worker's {} USD cap in use",
                request.project(),
                candidate.provider(),
                candidate.model(),
                decisionId,
                failOpen.inUseUsd().toPlainString(),
                failOpen.maxSpendUsd().toPlainString());
        Decision local =
                new Decision(decisionId, true, null, null, List.of(candidate), null, null, grant.redaction(), null);
        trace.unapproved();
        try {
            return callCandidates(
                    context,
                    local,
                    request,
                    rules,
                    deadline,
                    new Unapproved(pending, grant.terms(), prompt, trace.traceId()),
                    trace);
        } finally {
            failOpen.release(grant);
        }
    }

    private static AiTaskBpmnError denial(Decision decision) {
        String code = decision.reason() == null
                ? "AI_POLICY_DENIED"
                : decision.reason().bpmnErrorCode();
        String message =
                decision.reasonMessage() == null ? "The policy service denied the AI call" : decision.reasonMessage();
        return new AiTaskBpmnError(code, message);
    }

    private AiTaskResult replay(Decision decision, SettledCall settled, AnswerRules rules) {
        AiCallRecord record = new AiCallRecord(
                settled.callId(),
                decision.decisionId(),
                settled.provider(),
                settled.model(),
                settled.costUsd(),
                null,
                null,
                0,
                true,
                false);
        // the finish reason is not kept: the checks that need it pass, as they did when the answer was accepted
        CheckedAnswer checked = rules.check(settled.responseText(), null, null);
        return new AiTaskResult(settled.responseText(), checked.json(), checked.category(), checked.quality(), record);
    }

    /** An earlier delivery of this job paid for this answer: record it (again, harmlessly) and return it. */
    private AiTaskResult recordKept(PaidAnswer paid, AnswerRules rules) {
        LOG.info(
                "Decision {}: an earlier delivery kept its paid answer; recording it instead of calling the model again",
                paid.decisionId());
        OutcomeReceipt receipt = paid.unapproved() != null
                ? recordUnapproved(paid.unapproved(), true)
                : report(paid.decisionId(), paid.outcome(), true);
        CheckedAnswer checked = rules.check(paid.text(), paid.finishReason(), null);
        return answered(paid, receipt, checked, true);
    }

    private static AiTaskResult answered(PaidAnswer paid, OutcomeReceipt receipt, CheckedAnswer checked, boolean kept) {
        AiCallRecord record = new AiCallRecord(
                receipt.callId(),
                paid.decisionId(),
                paid.provider(),
                paid.model(),
                receipt.costUsd(),
                paid.inputTokens(),
                paid.outputTokens(),
                paid.attempts(),
                kept,
                paid.unapproved() != null);
        return new AiTaskResult(paid.text(), checked.json(), checked.category(), checked.quality(), record);
    }

    /**
     * Where a call's outcome goes: to the decision the policy service made ({@link Approved}), or, for a call made
     * without one, into the spool as an unapproved call ({@link Unapproved}).
     */
    private sealed interface Recorder permits Approved, Unapproved {

        /** The registered prompt version the call's texts came from. */
        PromptResolver.PromptUse prompt();

        /** The trace the call's spans belong to, or null when not traced. */
        String traceId();

        /** The outcome of this call, recorded against its prompt version and linked to its trace. */
        default CallOutcome outcome(
                List<CallOutcome.Attempt> attempts, String requestText, String responseText, List<Score> scores) {
            return new CallOutcome(attempts, Map.of(), requestText, responseText, scores)
                    .withPrompt(prompt().name(), prompt().version())
                    .withTraceId(traceId());
        }
    }

    private record Approved(UUID decisionId, PromptResolver.PromptUse prompt, String traceId) implements Recorder {}

    private record Unapproved(
            UnapprovedCall pending, Decision.FailOpen terms, PromptResolver.PromptUse prompt, String traceId)
            implements Recorder {
        SpooledCall with(CallOutcome outcome) {
            UnapprovedCall p = pending;
            return FailOpen.spooled(
                    new UnapprovedCall(p.decisionId(), p.request(), p.decidedAt(), p.worker(), p.reason(), outcome),
                    terms);
        }
    }

    private OutcomeReceipt record(Recorder recorder, CallOutcome outcome, boolean kept) {
        return switch (recorder) {
            case Approved approved -> report(approved.decisionId(), outcome, kept);
            case Unapproved unapproved -> recordUnapproved(unapproved.with(outcome), kept);
        };
    }

    /**
     * Keeps an unapproved call in this worker's spool, from where it is posted when the service is back; a worker
     * without a spool (one that does not fail open, redelivered a job another worker answered so) posts it at once.
     */
    private OutcomeReceipt recordUnapproved(SpooledCall call, boolean kept) {
        UnapprovedCall unapproved = call.call();
        CallStatus status = unapproved.outcome().attempts().stream().anyMatch(a -> a.status() == CallStatus.SUCCEEDED)
                ? CallStatus.SUCCEEDED
                : CallStatus.FAILED;
        try {
            if (failOpen.keep(call)) {
                return new OutcomeReceipt(null, null, status, null);
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not spool unapproved call {}; posting it to the policy service instead",
                    unapproved.decisionId(),
                    e);
        }
        try {
            return outcomeRetry.executeSupplier(() -> policy.recordUnapprovedCall(unapproved));
        } catch (PolicyServiceException e) {
            throw new AiTaskRetryableException(
                    AiTaskRetryableException.OUTCOME_NOT_RECORDED,
                    "Could not record unapproved call " + unapproved.decisionId() + ": " + e.getMessage()
                            + (kept
                                    ? "; the paid answer is kept with the job, and the next delivery records it without calling"
                                            + " the model again"
                                    : ""),
                    null,
                    e);
        }
    }

    /** Stores the paid answer with the job before anything else can fail; false when it could not be kept. */
    private boolean keep(CallContext context, PaidAnswer paid) {
        if (keeper == AnswerKeeper.NONE) {
            return false;
        }
        try {
            keeper.keep(context, paid);
            return true;
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not keep the paid answer of decision {} with its job; should its outcome not be recorded, a"
                            + " later delivery calls the model again",
                    paid.decisionId(),
                    e);
            return false;
        }
    }

    /**
     * When the task must be done: the job's deadline (after it Zeebe may give the job to another worker, which would
     * pay again) or the task's time limit from now, whichever comes first; null when neither is known.
     */
    private Instant deadlineOf(CallContext context, AiTaskRequest request) {
        Instant deadline = context.deadline();
        if (request.timeLimit() != null && !request.timeLimit().isBlank()) {
            Instant limit = clock.instant().plus(Duration.parse(request.timeLimit()));
            deadline = deadline == null || limit.isBefore(deadline) ? limit : deadline;
        }
        return deadline;
    }

    private AiTaskResult callCandidates(
            CallContext context,
            Decision decision,
            AiTaskRequest request,
            AnswerRules rules,
            Instant deadline,
            Recorder recorder,
            CallTrace trace) {
        if (decision.candidates().isEmpty()) {
            throw new AiTaskBpmnError("AI_POLICY_DENIED", "The policy service allowed the call but offered no model");
        }
        List<CallOutcome.Attempt> attempts = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        ProviderCallException lastFailure = null;
        GateFailure turnedAway = null;
        for (Decision.Candidate candidate : decision.candidates()) {
            Duration timeout = candidate.timeoutMs() > 0 ? Duration.ofMillis(candidate.timeoutMs()) : null;
            Duration left = deadline == null
                    ? null
                    : Duration.between(clock.instant(), deadline).minus(DEADLINE_MARGIN);
            if (left != null && left.compareTo(MIN_CANDIDATE_TIME) < 0) {
                if (turnedAway != null) {
                    throw gateFailed(recorder, decision, request, attempts, scores, turnedAway);
                }
                // no time for another model before the job's deadline: stop spending, record what was tried
                if (!attempts.isEmpty()) {
                    record(
                            recorder,
                            recorder.outcome(attempts, outgoing(decision, requestText(request)), null, scores),
                            false);
                }
                throw new AiTaskRetryableException(
                        AiTaskRetryableException.TIME_LIMIT_REACHED,
                        "The task's time limit or job deadline (" + deadline + ") leaves no time for candidate "
                                + candidate.provider() + "/" + candidate.model() + " after " + attempts.size()
                                + " attempt(s)",
                        null,
                        lastFailure);
            }
            if (left != null && (timeout == null || left.compareTo(timeout) < 0)) {
                timeout = left;
            }
            CompletionRequest completion = new CompletionRequest(
                    candidate.model(),
                    blankToNull(request.systemPrompt()),
                    request.prompt(),
                    candidate.maxOutputTokens() > 0
                            ? Math.min(candidate.maxOutputTokens(), request.maxOutputTokens())
                            : request.maxOutputTokens(),
                    timeout,
                    rules.schemaText(),
                    left);
            ProviderCallResult result = callSafely(candidate, completion);
            if (result.attempts().isEmpty() && !result.succeeded()) {
                // refused before any request (open circuit, local rate limit, full bulkhead): the ledger still shows
                // that
                // this candidate was passed over and why, and the outcome is never empty
                AttemptResult refused = refusal(candidate, result.failure());
                attempts.add(attempt(candidate, refused));
                trace.refused(candidate, refused.errorClass().name());
            }
            for (int i = 0; i < result.attempts().size(); i++) {
                AttemptResult a = result.attempts().get(i);
                attempts.add(attempt(candidate, a));
                observe(context, request, candidate, a);
                boolean answering = result.succeeded() && i == result.attempts().size() - 1;
                trace.attempt(candidate, a, answering ? result.response() : null);
            }
            if (result.succeeded()) {
                CompletionResponse response = result.response();
                TokenUsage usage = response.usage() == null ? TokenUsage.NONE : response.usage();
                // the answered attempt is the candidate's last; a caller that reports none leaves it unnumbered
                Integer attemptNo = result.attempts().isEmpty() ? null : attempts.size();
                CheckedAnswer checked = rules.check(response.text(), response.finishReason(), attemptNo);
                scores.addAll(checked.scores());
                trace.scored(checked.scores());
                Where where = where(context, request);
                safely(() -> checked.scores()
                        .forEach(score -> observer.check(
                                where, candidate.provider(), candidate.model(), score.name(), score.passed())));
                List<String> failedChecks = rules.gateFailures(checked);
                if (!failedChecks.isEmpty()) {
                    LOG.warn(
                            "Candidate {}/{} answered, but the answer fails the quality gate ({}); trying the next",
                            candidate.provider(),
                            candidate.model(),
                            failedChecks);
                    if (attemptNo != null) {
                        attempts.set(attemptNo - 1, turnedAway(attempts.get(attemptNo - 1)));
                    }
                    turnedAway = new GateFailure(candidate, response.text(), checked, failedChecks, usage);
                    continue;
                }
                trace.answered(candidate, response);
                CallOutcome outcome = recorder.outcome(
                        attempts,
                        outgoing(decision, requestText(request)),
                        outgoing(decision, response.text()),
                        scores);
                PaidAnswer paid = new PaidAnswer(
                        decision.decisionId(),
                        outcome,
                        response.text(),
                        candidate.provider(),
                        candidate.model(),
                        usage.inputTokens(),
                        usage.outputTokens(),
                        attempts.size(),
                        recorder instanceof Unapproved unapproved ? unapproved.with(outcome) : null,
                        response.finishReason());
                boolean kept = keep(context, paid);
                OutcomeReceipt receipt = record(recorder, outcome, kept);
                if (receipt.costUsd() != null) {
                    safely(() -> observer.recorded(
                            where(context, request), candidate.provider(), candidate.model(), receipt.costUsd()));
                }
                if (recorder instanceof Approved) {
                    judges.afterAnswer(context, request, receipt.callId(), response.text(), trace.spanContext());
                }
                return answered(paid, receipt, checked, false);
            }
            ProviderCallException failure = result.failure();
            ErrorClass errorClass = failure.errorClass() == null ? ErrorClass.UNKNOWN : failure.errorClass();
            LOG.warn(
                    "Candidate {}/{} failed ({}): {}",
                    candidate.provider(),
                    candidate.model(),
                    errorClass,
                    failure.getMessage());
            if (errorClass.rejectsRequest()) {
                record(
                        recorder,
                        recorder.outcome(attempts, outgoing(decision, requestText(request)), null, scores),
                        false);
                throw new AiTaskBpmnError(
                        AiTaskBpmnError.REQUEST_REJECTED,
                        "Provider " + candidate.provider() + " rejected the request for " + candidate.model() + ": "
                                + failure.getMessage());
            }
            lastFailure = failure;
        }
        if (turnedAway != null) {
            throw gateFailed(recorder, decision, request, attempts, scores, turnedAway);
        }
        record(recorder, recorder.outcome(attempts, outgoing(decision, requestText(request)), null, scores), false);
        throw new AiTaskRetryableException(
                AiTaskRetryableException.PROVIDERS_UNAVAILABLE,
                "All " + decision.candidates().size() + " candidate model(s) failed; last: " + lastFailure.getMessage(),
                lastFailure.retryAfter(),
                lastFailure);
    }

    /** The last answer the quality gate turned away: what the workflow gets to see when no other answer passes. */
    private record GateFailure(
            Decision.Candidate candidate,
            String text,
            CheckedAnswer checked,
            List<String> failedChecks,
            TokenUsage usage) {}

    /** An answered attempt whose answer the quality gate turned away: paid for, but failed. */
    private static CallOutcome.Attempt turnedAway(CallOutcome.Attempt a) {
        return new CallOutcome.Attempt(
                a.provider(),
                a.model(),
                a.inputTokens(),
                a.cachedInputTokens(),
                a.cacheWriteInputTokens(),
                a.outputTokens(),
                a.reasoningTokens(),
                a.latencyMs(),
                CallStatus.FAILED,
                CallOutcome.QUALITY_GATE,
                a.cacheWrite1hInputTokens(),
                a.serviceTier());
    }

    /**
     * No candidate's answer passed the quality gate: the call is recorded (every answer paid for, the last one as its
     * response) and the task raises {@link AiTaskBpmnError#QUALITY_GATE_FAILED}, handing the last answer, its checks and
     * the ledger record to the catching scope as {@value #QUALITY_FAILURE_VARIABLE}, so a person can take it from there.
     */
    private AiTaskBpmnError gateFailed(
            Recorder recorder,
            Decision decision,
            AiTaskRequest request,
            List<CallOutcome.Attempt> attempts,
            List<Score> scores,
            GateFailure last) {
        CallOutcome outcome = recorder.outcome(
                attempts, outgoing(decision, requestText(request)), outgoing(decision, last.text()), scores);
        OutcomeReceipt receipt = record(recorder, outcome, false);
        AiCallRecord aiCall = new AiCallRecord(
                receipt.callId(),
                decision.decisionId(),
                last.candidate().provider(),
                last.candidate().model(),
                receipt.costUsd(),
                last.usage().inputTokens(),
                last.usage().outputTokens(),
                attempts.size(),
                false,
                recorder instanceof Unapproved);
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("text", last.text());
        failure.put("json", last.checked().json());
        failure.put("category", last.checked().category());
        failure.put("quality", last.checked().quality());
        failure.put("failedChecks", last.failedChecks());
        failure.put("aiCall", JSON.convertValue(aiCall, Map.class));
        return new AiTaskBpmnError(
                AiTaskBpmnError.QUALITY_GATE_FAILED,
                "No candidate's answer passed the quality gate; the last one ("
                        + last.candidate().provider() + "/" + last.candidate().model() + ") failed "
                        + String.join(", ", last.failedChecks()),
                Map.of(QUALITY_FAILURE_VARIABLE, failure));
    }

    private AttemptResult refusal(Decision.Candidate candidate, ProviderCallException failure) {
        return new AttemptResult(
                candidate.provider(),
                candidate.model(),
                0,
                clock.instant(),
                Duration.ZERO,
                TokenUsage.NONE,
                failure.errorClass() == null ? ErrorClass.UNKNOWN : failure.errorClass(),
                failure.httpStatus(),
                failure.getMessage());
    }

    private static Where where(CallContext context, AiTaskRequest request) {
        return new Where(
                request.project(),
                context.where().bpmnProcessId(),
                context.where().elementId(),
                request.taskKind());
    }

    /** Tells the observer of one request. */
    private void observe(CallContext context, AiTaskRequest request, Decision.Candidate candidate, AttemptResult a) {
        safely(() -> observer.attempt(
                where(context, request),
                a.provider() == null ? candidate.provider() : a.provider(),
                a.model() == null ? candidate.model() : a.model(),
                a.usage() == null ? TokenUsage.NONE : a.usage(),
                a.latency() == null ? Duration.ZERO : a.latency(),
                a.succeeded() ? null : (a.errorClass() == null ? ErrorClass.UNKNOWN : a.errorClass()).name()));
    }

    /** An observer that fails costs its metric, never the call (which may already be paid for). */
    private static void safely(Runnable observation) {
        try {
            observation.run();
        } catch (RuntimeException e) {
            LOG.warn("The call observer failed; the call goes on", e);
        }
    }

    /** A caller bug must not lose the reservation's outcome: it counts as one failed attempt of that candidate. */
    private ProviderCallResult callSafely(Decision.Candidate candidate, CompletionRequest completion) {
        long started = clock.millis();
        try {
            return caller.call(candidate.provider(), completion);
        } catch (RuntimeException e) {
            LOG.warn("Calling candidate {}/{} failed unexpectedly", candidate.provider(), candidate.model(), e);
            ProviderCallException failure = e instanceof ProviderCallException pce
                    ? pce
                    : new ProviderCallException(ErrorClass.UNKNOWN, 0, e.toString(), null, e);
            return new ProviderCallResult(
                    null,
                    failure,
                    List.of(new AttemptResult(
                            candidate.provider(),
                            candidate.model(),
                            1,
                            clock.instant(),
                            Duration.ofMillis(Math.max(0, clock.millis() - started)),
                            TokenUsage.NONE,
                            failure.errorClass(),
                            failure.httpStatus(),
                            failure.getMessage())));
        }
    }

    /**
     * Reports an outcome, waiting out a brief outage. Should it still fail, the job fails: the next delivery records a
     * {@code kept} answer without calling the model again.
     */
    private OutcomeReceipt report(UUID decisionId, CallOutcome outcome, boolean kept) {
        try {
            return outcomeRetry.executeSupplier(() -> policy.reportOutcome(decisionId, outcome));
        } catch (PolicyServiceException e) {
            throw new AiTaskRetryableException(
                    AiTaskRetryableException.OUTCOME_NOT_RECORDED,
                    "Could not record the outcome of decision " + decisionId + ": " + e.getMessage()
                            + (kept
                                    ? "; the paid answer is kept with the job, and the next delivery records it without calling"
                                            + " the model again"
                                    : ""),
                    null,
                    e);
        }
    }

    static CallOutcome.Attempt attempt(Decision.Candidate candidate, AttemptResult attempt) {
        TokenUsage usage = attempt.usage() == null ? TokenUsage.NONE : attempt.usage();
        return new CallOutcome.Attempt(
                attempt.provider() == null ? candidate.provider() : attempt.provider(),
                attempt.model() == null ? candidate.model() : attempt.model(),
                usage.inputTokens(),
                usage.cachedInputTokens(),
                usage.cacheWriteInputTokens(),
                usage.outputTokens(),
                usage.reasoningTokens(),
                attempt.latency() == null ? 0L : Math.max(0, attempt.latency().toMillis()),
                attempt.succeeded() ? CallStatus.SUCCEEDED : CallStatus.FAILED,
                attempt.succeeded()
                        ? null
                        : (attempt.errorClass() == null ? ErrorClass.UNKNOWN : attempt.errorClass()).name(),
                usage.cacheWrite1hInputTokens(),
                usage.serviceTier());
    }

    private static boolean redactsText(Decision decision) {
        return decision.redaction() != null
                && decision.redaction().mode() != null
                && decision.redaction().mode().transformsText();
    }

    /**
     * The text as the project's redaction mode lets it leave this worker: masked or hashed here, so personal data in
     * prompts and answers never reaches the policy service when the mode forbids storing it.
     */
    private static String outgoing(Decision decision, String text) {
        return redactsText(decision) ? decision.redaction().apply(text) : text;
    }

    static String requestText(AiTaskRequest request) {
        String system = blankToNull(request.systemPrompt());
        return system == null ? request.prompt() : system + "\n\n" + request.prompt();
    }

    /** Why no decision could be had, within what the service stores of it (an error body may be long). */
    private static String reasonOf(AiTaskRetryableException unavailable) {
        String message = String.valueOf(unavailable.getMessage());
        return message.length() <= MAX_REASON_CHARS ? message : message.substring(0, MAX_REASON_CHARS - 1) + "…";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
