package io.aiops.connector;

import io.aiops.connector.model.AiTaskRequest;
import io.aiops.connector.pipeline.AiCallPipeline;
import io.aiops.connector.pipeline.AiTaskBpmnError;
import io.aiops.connector.pipeline.AiTaskRetryableException;
import io.aiops.connector.pipeline.CallContext;
import io.aiops.connector.pipeline.PaidAnswer;
import io.aiops.connector.pipeline.PipelineSettings;
import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.api.DenialReason;
import io.camunda.connector.api.annotation.OutboundConnector;
import io.camunda.connector.api.error.ConnectorExceptionBuilder;
import io.camunda.connector.api.error.ConnectorRetryException;
import io.camunda.connector.api.outbound.JobContext;
import io.camunda.connector.api.outbound.OutboundConnectorContext;
import io.camunda.connector.api.outbound.OutboundConnectorFunction;
import io.camunda.connector.generator.java.annotation.ElementTemplate;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI task connector: runs the {@link AiCallPipeline} for one job of type {@value #TYPE} and turns its business
 * failures into {@link io.camunda.connector.api.error.ConnectorException}s whose code the element's error expression raises as a BPMN error.
 */
@OutboundConnector(
        name = "AI Task",
        type = AiTaskConnectorFunction.TYPE,
        inputVariables = {
            "project",
            "taskKind",
            "customTaskKind",
            "promptSource",
            "systemPrompt",
            "prompt",
            "modelHint",
            "maxOutputTokens",
            "estimatedInputTokens",
            "jsonSchema",
            "tags",
            "timeLimit",
            "categories",
            "fallbackCategory",
            "minAnswerChars",
            "maxAnswerChars",
            "qualityGate",
            "promptRef",
            "promptVariables",
            PaidAnswer.VARIABLE
        })
@ElementTemplate(
        id = "io.aiops.ai-task.v1",
        name = "AI Task (AI Ops)",
        version = 1,
        engineVersion = "^8.8",
        documentationRef = AiTaskConnectorFunction.DOCUMENTATION_URL,
        description = "Calls a language model under the AI Ops policy service: budget check, routing with failover,"
                + " rule checks of the answer, cost ledger. The result holds text, json, category, quality and aiCall;"
                + " the default Error expression raises the AI_* failures as BPMN errors.",
        icon = "ai-task.svg",
        inputDataClass = AiTaskRequest.class,
        metadata =
                @ElementTemplate.Metadata(
                        keywords = {
                            "ai",
                            "llm",
                            "genai",
                            "openai",
                            "anthropic",
                            "gemini",
                            "classify",
                            "classification",
                            "extract",
                            "extraction",
                            "generate",
                            "summarise",
                            "summarize",
                            "prompt",
                            "budget"
                        }),
        propertyGroups = {
            @ElementTemplate.PropertyGroup(
                    id = "task",
                    label = "Task",
                    tooltip = "Who pays for the call and what kind of task it is; the task kind decides which checks"
                            + " the template offers below."),
            @ElementTemplate.PropertyGroup(
                    id = "prompt",
                    label = "Prompt",
                    tooltip = "The text sent to the model: written here (FEEL allowed) or a versioned prompt of the"
                            + " policy service's registry, name@version or name@label."),
            @ElementTemplate.PropertyGroup(
                    id = "classification",
                    label = "Classification",
                    tooltip = "The categories the answer is read as, and the fallback for an answer that names none."),
            @ElementTemplate.PropertyGroup(
                    id = "structuredOutput",
                    label = "Structured output",
                    tooltip = "The JSON schema the answer must follow; the parsed answer is the result's json."),
            @ElementTemplate.PropertyGroup(
                    id = "quality",
                    label = "Quality checks",
                    tooltip = "Rule checks run on every answer (no extra model call) and the gate of checks an answer"
                            + " must pass before the task accepts it.",
                    openByDefault = false),
            @ElementTemplate.PropertyGroup(
                    id = "model",
                    label = "Model and limits",
                    tooltip = "A model to prefer, the answer's token limit, the input estimate that sizes the budget"
                            + " reservation, and the task's time limit. The policy service routes and may override.",
                    openByDefault = false)
        },
        defaultResultVariable = "aiResult",
        defaultResultExpression = "={aiCall: aiCall}")
public class AiTaskConnectorFunction implements OutboundConnectorFunction {

    private static final Logger LOG = LoggerFactory.getLogger(AiTaskConnectorFunction.class);

    /** The job type the connector runtime subscribes to. */
    public static final String TYPE = "io.aiops:ai-task:1";

    /**
     * The error expression an AI task element needs so the connector's named failures become catchable BPMN errors;
     * other failures (codes without the {@code AI_} prefix) fail the job and use its retries.
     */
    public static final String DEFAULT_ERROR_EXPRESSION =
            "=if error.code != null and starts with(error.code, \"AI_\") then bpmnError(error.code, error.message,"
                    + " if error.variables = null then {} else error.variables) else null";

    /** Where the AI task is documented for builders; the template's documentation link. Source: docs/ai-task.md. */
    public static final String DOCUMENTATION_URL = "https://aiops.io/docs/ai-task";

    /**
     * Every BPMN error an AI task raises through {@link #DEFAULT_ERROR_EXPRESSION}, code to when, in the order a diagram
     * usually handles them: the policy service's denials, then the provider's and the answer's, then the prompt
     * registry's. The template's error tooltip and docs/ai-task.md list them from here.
     */
    public static final Map<String, String> BPMN_ERRORS = orderedMap(
            DenialReason.BUDGET_EXCEEDED.bpmnErrorCode(),
            "a HARD budget has no room for the call",
            DenialReason.POLICY_DENIED.bpmnErrorCode(),
            "a policy forbids the call, or no model is routed",
            DenialReason.MODEL_RETIRED.bpmnErrorCode(),
            "every model the call could use is past its deprecation date",
            AiTaskBpmnError.REQUEST_REJECTED,
            "the provider refused the request itself, so no other model is tried",
            AiTaskBpmnError.QUALITY_GATE_FAILED,
            "no model's answer passed the quality gate; the last answer is in aiQualityFailure",
            AiTaskBpmnError.PROMPT_NOT_FOUND,
            "the prompt reference names no prompt, version or label of the registry",
            AiTaskBpmnError.PROMPT_INVALID,
            "the registry prompt needs a variable the task does not give");

    private final Supplier<AiCallPipeline> pipeline;

    /** For Spring and tests: runs the given pipeline. */
    public AiTaskConnectorFunction(AiCallPipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        this.pipeline = () -> pipeline;
    }

    /**
     * For a connector runtime that instantiates connectors by class name: configures itself from environment variables
     * (see {@link PipelineSettings#fromEnvironment}) on first use, so a runtime that only lists connectors needs none of
     * them. In Camunda's connector runtime, {@code ai-task-connector-<version>-with-dependencies.jar} registers it by
     * its {@code META-INF/services} entry, or set {@code CONNECTOR_AITASK_FUNCTION=io.aiops.connector.AiTaskConnectorFunction}
     * and {@code CONNECTOR_AITASK_TYPE=io.aiops:ai-task:1} (which replace SPI discovery). The plain jar has no such
     * entry: a runtime that also declares the connector as a Spring bean (the worker runtime) would reject the
     * duplicate type.
     */
    public AiTaskConnectorFunction() {
        this.pipeline = new LazyPipeline();
    }

    @Override
    public Object execute(OutboundConnectorContext context) {
        AiTaskRequest request = context.bindVariables(AiTaskRequest.class);
        JobContext job = context.getJobContext();
        ProcessCoordinates where = new ProcessCoordinates(
                job.getBpmnProcessId(),
                job.getProcessDefinitionKey(),
                job.getProcessDefinitionVersion(),
                job.getProcessInstanceKey(),
                job.getElementId(),
                job.getElementInstanceKey(),
                null,
                job.getTenantId());
        // the 8.8 connector job context has no job key, retries or deadline: the template's time limit bounds the task
        CallContext call = new CallContext(where, null, keptAnswer(context), null);
        try {
            return pipeline.get().run(call, request);
        } catch (AiTaskBpmnError e) {
            throw new ConnectorExceptionBuilder()
                    .errorCode(e.code())
                    .message(e.getMessage())
                    .cause(e)
                    .errorVariables(e.variables())
                    .build();
        } catch (AiTaskRetryableException e) {
            // the job's retries count down as usual; the back-off is the provider's Retry-After, else the template's
            throw ConnectorRetryException.builder()
                    .errorCode(e.code())
                    .message(e.getMessage())
                    .cause(e)
                    .backoffDuration(e.backoff(null))
                    .build();
        }
    }

    /** The answer an earlier delivery of this job kept, if any: a local variable of the element instance. */
    record KeptAnswer(PaidAnswer aiopsPaidAnswer) {}

    /** A variable of that name that is not a kept answer (a process's own, say) is ignored, not a failed job. */
    private static PaidAnswer keptAnswer(OutboundConnectorContext context) {
        try {
            return context.bindVariables(KeptAnswer.class).aiopsPaidAnswer();
        } catch (RuntimeException e) {
            LOG.warn("Variable {} is not a kept answer, ignored: {}", PaidAnswer.VARIABLE, e.getMessage());
            return null;
        }
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static final class LazyPipeline implements Supplier<AiCallPipeline> {
        private volatile AiCallPipeline instance;

        @Override
        public AiCallPipeline get() {
            AiCallPipeline current = instance;
            if (current == null) {
                synchronized (this) {
                    current = instance;
                    if (current == null) {
                        current = AiCallPipeline.builder()
                                .settings(PipelineSettings.fromEnvironment(System::getenv))
                                // the runtime's OpenTelemetry when it registered one (e.g. the Java agent), else a
                                // no-op
                                .openTelemetry(GlobalOpenTelemetry.getOrNoop())
                                .build();
                        instance = current;
                    }
                }
            }
            return current;
        }
    }
}
