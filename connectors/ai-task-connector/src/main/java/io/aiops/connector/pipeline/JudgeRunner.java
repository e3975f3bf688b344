package io.aiops.connector.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.connector.model.AiTaskRequest;
import io.aiops.connector.quality.AnswerRules;
import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.api.CallFeedback;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.JudgeSettings;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.PromptTemplates;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import io.aiops.policy.api.ScoreType;
import io.aiops.providers.CompletionRequest;
import io.aiops.providers.ProviderCallResult;
import io.github.resilience4j.retry.Retry;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LLM-as-judge, off the job's critical path: after a call was recorded, a sampled share of calls (the project's or
 * workflow's {@link JudgeSettings}, re-read every {@link #SETTINGS_TTL}) is graded by the judge model. The judge call is
 * a call like any other: its own decision (task kind {@value JudgeSettings#TASK_KIND}, the judged call's process
 * coordinates, so its cost lands on that process instance), its outcome reported, and the grade recorded on the judged
 * call as a {@link ScoreSource#JUDGE} score. Whether a call is judged follows from its id, so every worker agrees. Any
 * failure is logged and dropped: a judge never fails, delays or changes the workflow. Its outcome and grade are posted
 * with the same retries as a job's outcome, and shutting the worker down waits for the judges running (see
 * {@link #close}), so a paid judge call reaches the ledger.
 */
final class JudgeRunner {

    static final Duration SETTINGS_TTL = Duration.ofSeconds(30);

    /** Judges running at once in this worker; beyond, a sampled call is not judged (and that is logged). */
    static final int MAX_RUNNING = 16;

    private static final Logger LOG = LoggerFactory.getLogger(JudgeRunner.class);

    /** The answer the judge is asked for. */
    static final String VERDICT_SCHEMA = "{\"type\":\"object\",\"required\":[\"score\",\"explanation\"],"
            + "\"properties\":{\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1},"
            + "\"explanation\":{\"type\":\"string\"}},\"additionalProperties\":false}";

    private record CachedSettings(Optional<JudgeSettings> settings, Instant until) {}

    private final PolicyClient policy;
    private final CandidateCaller caller;
    private final Clock clock;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore running = new Semaphore(MAX_RUNNING);
    private final Map<String, CachedSettings> settings = new ConcurrentHashMap<>();

    /** Reports a judge call's outcome and grade, waiting out a brief outage of the policy service. */
    private final Retry reporting;

    /** Traces each judge as a child of the judged call's span. */
    private final Tracer tracer;

    JudgeRunner(PolicyClient policy, CandidateCaller caller, Clock clock, Retry reporting, Tracer tracer) {
        this.tracer = tracer;
        this.policy = policy;
        this.caller = caller;
        this.clock = clock;
        this.reporting = reporting;
    }

    /**
     * Stops taking calls to judge and waits up to {@code drain} for the judges running: a judge whose model already
     * answered is a paid call, and its outcome must reach the ledger before the worker goes. Returns how many were
     * still running when the wait ended (each logged: its cost may be missing from the ledger).
     */
    int close(Duration drain) {
        executor.shutdown();
        try {
            if (executor.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = MAX_RUNNING - running.availablePermits();
        LOG.error(
                "{} judge(s) still running after {} s of shutdown: their calls' outcomes may be missing from the ledger",
                left,
                drain.toSeconds());
        return left;
    }

    /**
     * Has the recorded call judged later if its project samples it; returns at once. {@code callSpan} is the call's
     * span, the parent of the judge's.
     */
    void afterAnswer(CallContext context, AiTaskRequest request, UUID callId, String answer, SpanContext callSpan) {
        if (callId == null || answer == null || answer.isBlank()) {
            return;
        }
        if (!running.tryAcquire()) {
            LOG.warn("{} judges running: call {} is not judged", MAX_RUNNING, callId);
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    settingsOf(request.project(), context.where().bpmnProcessId())
                            .filter(s -> sampled(callId, s.sampleRate()))
                            .ifPresent(s -> judge(context.where(), request, callId, answer, s, callSpan));
                } catch (RuntimeException e) {
                    LOG.warn("Judging call {} failed; the call keeps no judge score", callId, e);
                } finally {
                    running.release();
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down: the job is done, only its grade is skipped
            running.release();
            LOG.info("Shutting down: call {} is not judged", callId);
        }
    }

    /** Whether the call is in the sample: its id hashed to [0, 1) below the rate. */
    static boolean sampled(UUID callId, BigDecimal rate) {
        if (rate.signum() <= 0) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(callId.toString().getBytes(StandardCharsets.US_ASCII));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (digest[i] & 0xff);
            }
            double position = (bits >>> 11) * 0x1.0p-53;
            return position < rate.doubleValue();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private Optional<JudgeSettings> settingsOf(String project, String bpmnProcessId) {
        String key = project + "\u0000" + bpmnProcessId;
        Instant now = clock.instant();
        CachedSettings cached = settings.get(key);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.settings();
        }
        Optional<JudgeSettings> found;
        try {
            found = Optional.of(policy.effectiveJudge(project, bpmnProcessId));
        } catch (PolicyServiceException e) {
            if (e.status() != 404) {
                throw e;
            }
            found = Optional.empty();
        }
        settings.put(key, new CachedSettings(found, now.plus(SETTINGS_TTL)));
        return found;
    }

    private void judge(
            ProcessCoordinates where,
            AiTaskRequest request,
            UUID callId,
            String answer,
            JudgeSettings judge,
            SpanContext callSpan) {
        CallTrace trace = CallTrace.judging(tracer, clock, callSpan, where, request.project(), callId);
        try {
            judge(where, request, callId, answer, judge, trace);
        } catch (RuntimeException e) {
            trace.failed(e.getClass().getSimpleName(), e);
            throw e;
        } finally {
            trace.end();
        }
    }

    private void judge(
            ProcessCoordinates where,
            AiTaskRequest request,
            UUID callId,
            String answer,
            JudgeSettings judge,
            CallTrace trace) {
        String question = AiCallPipeline.requestText(request);
        String prompt = PromptTemplates.render(
                judge.rubric(), Map.of("question", question, "answer", answer, "criteria", judge.criteria()));
        Instant asked = clock.instant();
        Decision decision = policy.decide(DecisionRequest.of(
                "judge:" + callId,
                request.project(),
                where,
                JudgeSettings.TASK_KIND,
                judge.model(),
                Math.max(1, (prompt.length() + AiCallPipeline.CHARS_PER_TOKEN - 1) / AiCallPipeline.CHARS_PER_TOKEN),
                judge.maxOutputTokens(),
                Map.of("judgedCallId", callId.toString())));
        trace.decided(asked, decision);
        if (!decision.allowed()
                || decision.settledCall() != null
                || decision.candidates().isEmpty()) {
            LOG.info(
                    "Call {} not judged: {}",
                    callId,
                    decision.settledCall() != null
                            ? "already judged"
                            : decision.reasonMessage() == null ? "no judge model allowed" : decision.reasonMessage());
            return;
        }
        List<CallOutcome.Attempt> attempts = new ArrayList<>();
        for (Decision.Candidate candidate : decision.candidates()) {
            ProviderCallResult result = caller.call(
                    candidate.provider(),
                    new CompletionRequest(
                            candidate.model(),
                            null,
                            prompt,
                            judge.maxOutputTokens(),
                            candidate.timeoutMs() > 0 ? Duration.ofMillis(candidate.timeoutMs()) : null,
                            VERDICT_SCHEMA));
            result.attempts().forEach(a -> {
                attempts.add(AiCallPipeline.attempt(candidate, a));
                trace.attempt(candidate, a, a.succeeded() ? result.response() : null);
            });
            if (!result.succeeded()) {
                continue;
            }
            trace.answered(candidate, result.response());
            String verdictText = result.response().text();
            CallOutcome paid = new CallOutcome(attempts, Map.of(), prompt, verdictText, List.of());
            reporting.executeSupplier(() -> policy.reportOutcome(decision.decisionId(), paid));
            recordVerdict(callId, candidate, verdictText, judge).ifPresent(grade -> trace.scored(List.of(grade)));
            return;
        }
        if (!attempts.isEmpty()) {
            CallOutcome failed = new CallOutcome(attempts, Map.of(), prompt, null, List.of());
            reporting.executeSupplier(() -> policy.reportOutcome(decision.decisionId(), failed));
        }
        LOG.warn("No judge model answered for call {}", callId);
    }

    private Optional<Score> recordVerdict(
            UUID callId, Decision.Candidate judge, String verdictText, JudgeSettings settings) {
        JsonNode verdict = verdictText == null ? null : AnswerRules.readJson(verdictText);
        if (verdict == null) {
            LOG.warn("The judge of call {} answered no JSON; no score recorded", callId);
            return Optional.empty();
        }
        JsonNode score = verdict.get("score");
        if (score == null || !score.isNumber()) {
            LOG.warn("The judge of call {} gave no numeric score; no score recorded", callId);
            return Optional.empty();
        }
        BigDecimal value =
                score.decimalValue().setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            LOG.warn("The judge of call {} scored {}, outside 0..1; no score recorded", callId, value);
            return Optional.empty();
        }
        String explanation = verdict.path("explanation").asText(null);
        if (explanation != null && explanation.length() > Score.MAX_EXPLANATION_CHARS) {
            explanation = explanation.substring(0, Score.MAX_EXPLANATION_CHARS);
        }
        Score grade = new Score(
                settings.scoreName(),
                ScoreType.NUMERIC,
                value,
                null,
                ScoreSource.JUDGE,
                explanation,
                judge.provider() + "/" + judge.model(),
                null);
        CallFeedback feedback = CallFeedback.onCall(callId, "judge:" + callId, List.of(grade));
        reporting.executeSupplier(() -> policy.recordFeedback(feedback));
        return Optional.of(grade);
    }
}
