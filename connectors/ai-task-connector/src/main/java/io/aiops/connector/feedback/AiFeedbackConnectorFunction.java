package io.aiops.connector.feedback;

import io.aiops.connector.pipeline.PipelineSettings;
import io.aiops.policy.api.CallFeedback;
import io.aiops.policy.api.FeedbackReceipt;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.Score;
import io.aiops.policy.api.ScoreSource;
import io.aiops.policy.api.ScoreType;
import io.camunda.connector.api.annotation.OutboundConnector;
import io.camunda.connector.api.error.ConnectorExceptionBuilder;
import io.camunda.connector.api.error.ConnectorRetryException;
import io.camunda.connector.api.outbound.JobContext;
import io.camunda.connector.api.outbound.OutboundConnectorContext;
import io.camunda.connector.api.outbound.OutboundConnectorFunction;
import io.camunda.connector.generator.java.annotation.ElementTemplate;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The AI feedback task: a later step of a workflow records whether an AI task's work held up (a reviewer accepted or
 * corrected it, the customer reopened the ticket) as a score on that call in the policy service. The feedback is keyed
 * by this element instance, so a redelivered job records it once. An unknown call raises
 * {@value #CALL_UNKNOWN}, feedback the service refuses {@value #REJECTED}; an unavailable service retries the job.
 */
@OutboundConnector(
        name = "AI Feedback",
        type = AiFeedbackConnectorFunction.TYPE,
        inputVariables = {"callId", "aiTaskElementId", "scoreName", "verdict", "source", "explanation"})
@ElementTemplate(
        id = "io.aiops.ai-feedback.v1",
        name = "AI Feedback (AI Ops)",
        version = 1,
        description = "Records whether an AI task's answer held up (a reviewer's verdict, a reopened ticket) on that AI"
                + " call, for quality monitoring per workflow, element, model and prompt. Keep the default Error"
                + " expression so AI_FEEDBACK_CALL_UNKNOWN and AI_FEEDBACK_REJECTED become BPMN errors.",
        icon = "ai-task.svg",
        inputDataClass = AiFeedbackRequest.class,
        metadata = @ElementTemplate.Metadata(keywords = {"ai", "llm", "feedback", "quality", "review"}),
        propertyGroups = {
            @ElementTemplate.PropertyGroup(id = "call", label = "AI call"),
            @ElementTemplate.PropertyGroup(id = "verdict", label = "Verdict")
        },
        defaultResultVariable = "aiFeedback")
public class AiFeedbackConnectorFunction implements OutboundConnectorFunction {

    /** The job type the connector runtime subscribes to. */
    public static final String TYPE = "io.aiops:ai-feedback:1";

    /** Neither the call id nor the AI task's element names a recorded call. */
    public static final String CALL_UNKNOWN = "AI_FEEDBACK_CALL_UNKNOWN";

    /** The policy service refused the feedback (a verdict out of range, a call of another project). */
    public static final String REJECTED = "AI_FEEDBACK_REJECTED";

    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(10);

    private final Supplier<PolicyClient> policy;

    /** For Spring and tests: posts to the given policy client. */
    public AiFeedbackConnectorFunction(PolicyClient policy) {
        Objects.requireNonNull(policy, "policy");
        this.policy = () -> policy;
    }

    /**
     * For a connector runtime that instantiates connectors by class name (Camunda's connector runtime finds it by the
     * with-dependencies jar's {@code META-INF/services} entry, or by {@code CONNECTOR_AIFEEDBACK_FUNCTION}): the
     * policy service is the one named by {@code AIOPS_POLICY_URL} and {@code AIOPS_POLICY_API_KEY}, read on first use.
     */
    public AiFeedbackConnectorFunction() {
        PolicyClient[] client = new PolicyClient[1];
        this.policy = () -> {
            synchronized (client) {
                if (client[0] == null) {
                    client[0] = PipelineSettings.fromEnvironment(System::getenv).policyClient();
                }
                return client[0];
            }
        };
    }

    @Override
    public Object execute(OutboundConnectorContext context) {
        AiFeedbackRequest request = context.bindVariables(AiFeedbackRequest.class);
        JobContext job = context.getJobContext();
        Score score = score(request);
        String key = "fb:" + job.getElementInstanceKey();
        CallFeedback feedback;
        if (request.callId() != null && !request.callId().isBlank()) {
            UUID callId;
            try {
                callId = UUID.fromString(request.callId().strip());
            } catch (IllegalArgumentException e) {
                throw error(REJECTED, "callId '" + request.callId() + "' is not an AI call id");
            }
            feedback = CallFeedback.onCall(callId, key, List.of(score));
        } else if (request.aiTaskElementId() != null
                && !request.aiTaskElementId().isBlank()) {
            feedback = CallFeedback.onElement(
                    job.getProcessInstanceKey(), request.aiTaskElementId().strip(), key, List.of(score));
        } else {
            throw error(REJECTED, "name the AI call: its callId, or the AI task's element id");
        }
        try {
            FeedbackReceipt receipt = policy.get().recordFeedback(feedback);
            return new AiFeedbackResult(receipt.callId(), receipt.feedbackId(), receipt.repeated());
        } catch (PolicyServiceException e) {
            if (e.isTransient()) {
                throw ConnectorRetryException.builder()
                        .errorCode("POLICY_SERVICE_UNAVAILABLE")
                        .message("The policy service is unavailable, the feedback will be posted again: "
                                + e.getMessage())
                        .cause(e)
                        .backoffDuration(RETRY_BACKOFF)
                        .build();
            }
            throw error(e.status() == 404 ? CALL_UNKNOWN : REJECTED, e.getMessage());
        }
    }

    /** The verdict as a score: a boolean passes or fails, a number is a value 0..1, a text is a category. */
    static Score score(AiFeedbackRequest request) {
        ScoreSource source = request.source() == null || request.source().isBlank()
                ? ScoreSource.HUMAN
                : switch (request.source().strip().toUpperCase(Locale.ROOT)) {
                    case "HUMAN" -> ScoreSource.HUMAN;
                    case "DOWNSTREAM" -> ScoreSource.DOWNSTREAM;
                    default -> throw error(REJECTED, "source must be HUMAN or DOWNSTREAM, not " + request.source());
                };
        String explanation =
                request.explanation() == null || request.explanation().isBlank() ? null : request.explanation();
        return switch (request.verdict()) {
            case Boolean passed -> Score.passFail(request.scoreName(), passed, source, explanation, null, null);
            case Number number ->
                new Score(
                        request.scoreName(),
                        ScoreType.NUMERIC,
                        new BigDecimal(number.toString()),
                        null,
                        source,
                        explanation,
                        null,
                        null);
            case String label
            when !label.isBlank() ->
                new Score(
                        request.scoreName(),
                        ScoreType.CATEGORICAL,
                        null,
                        label.strip(),
                        source,
                        explanation,
                        null,
                        null);
            default ->
                throw error(
                        REJECTED,
                        "verdict must be true or false, a number from 0 to 1, or a category text; got "
                                + request.verdict());
        };
    }

    private static RuntimeException error(String code, String message) {
        // the AI_ prefix makes the AI task's error expression raise it as a BPMN error
        return new ConnectorExceptionBuilder().errorCode(code).message(message).build();
    }
}
