package io.aiops.worker;

import io.aiops.connector.model.AiTaskRequest;
import io.aiops.connector.model.AiTaskResult;
import io.aiops.connector.pipeline.AiCallPipeline;
import io.aiops.connector.pipeline.AiTaskBpmnError;
import io.aiops.connector.pipeline.AiTaskRetryableException;
import io.aiops.connector.pipeline.CallContext;
import io.aiops.connector.pipeline.PaidAnswer;
import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.api.PolicyClient;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The AI task as a plain Camunda job worker, for teams that do not run the connector runtime. Same pipeline as the
 * connector, plus what only a job worker knows: the job key (sent with the decision) and the remaining retries.
 * Business failures become BPMN errors; transient ones fail the job with retries - 1 and a backoff.
 *
 * <p>Task headers: {@code resultVariable} (default {@code aiResult}) names the variable for the whole result; the
 * {@code aiCall} record is always set as its own variable too.
 */
@Component
@ConditionalOnProperty(name = "aiops.job-worker.enabled", havingValue = "true")
public class AiTaskJobWorker {

    /**
     * Default job type; {@code aiops.job-worker.type} changes it (application.yml maps it onto the SDK's worker override,
     * which is keyed by this annotation type).
     */
    public static final String DEFAULT_TYPE = "io.aiops:ai-task-worker:1";

    /** The worker's name in logs and metrics. */
    public static final String NAME = "aiTaskWorker";

    private static final Logger LOG = LoggerFactory.getLogger(AiTaskJobWorker.class);

    private final AiCallPipeline pipeline;
    private final Validator validator;
    private final Duration retryBackoff;

    public AiTaskJobWorker(AiCallPipeline pipeline, Validator validator, AiOpsProperties properties) {
        this.pipeline = pipeline;
        this.validator = validator;
        this.retryBackoff = properties.jobWorker().retryBackoff();
    }

    @JobWorker(name = NAME, type = DEFAULT_TYPE, autoComplete = false, fetchAllVariables = true)
    public void handle(JobClient client, ActivatedJob job) {
        AiTaskRequest request;
        try {
            request = job.getVariablesAsType(AiTaskRequest.class);
        } catch (RuntimeException e) {
            failWithoutRetry(client, job, "Invalid AI task input: " + e.getMessage());
            return;
        }
        String invalid = violations(request);
        if (invalid != null) {
            failWithoutRetry(client, job, "Invalid AI task input: " + invalid);
            return;
        }
        ProcessCoordinates where = new ProcessCoordinates(
                job.getBpmnProcessId(),
                job.getProcessDefinitionKey(),
                job.getProcessDefinitionVersion(),
                job.getProcessInstanceKey(),
                job.getElementId(),
                job.getElementInstanceKey(),
                job.getKey(),
                job.getTenantId());
        CallContext context =
                new CallContext(where, job.getRetries(), keptAnswer(job), Instant.ofEpochMilli(job.getDeadline()));
        try {
            AiTaskResult result = pipeline.run(context, request);
            Map<String, Object> variables = new HashMap<>();
            variables.put(job.getCustomHeaders().getOrDefault("resultVariable", "aiResult"), result);
            variables.put("aiCall", result.aiCall());
            client.newCompleteCommand(job).variables(variables).send().join();
        } catch (AiTaskBpmnError e) {
            client.newThrowErrorCommand(job)
                    .errorCode(e.code())
                    .errorMessage(e.getMessage())
                    .variables(e.variables())
                    .send()
                    .join();
        } catch (AiTaskRetryableException e) {
            Duration backoff = e.backoff(retryBackoff);
            LOG.warn(
                    "AI task job {} failed ({}), {} retries left, next in {}",
                    job.getKey(),
                    e.code(),
                    job.getRetries() - 1,
                    backoff);
            client.newFailCommand(job)
                    .retries(Math.max(0, job.getRetries() - 1))
                    .retryBackoff(backoff)
                    .errorMessage(e.code() + ": " + e.getMessage())
                    .send()
                    .join();
        }
    }

    /** The answer an earlier delivery of this job kept (a local variable of the element instance), if any. */
    private static PaidAnswer keptAnswer(ActivatedJob job) {
        Object kept = job.getVariablesAsMap().get(PaidAnswer.VARIABLE);
        if (kept == null) {
            return null;
        }
        try {
            return PolicyClient.JSON.convertValue(kept, PaidAnswer.class);
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "Job {}: variable {} is not a kept answer, ignored: {}",
                    job.getKey(),
                    PaidAnswer.VARIABLE,
                    e.getMessage());
            return null;
        }
    }

    private String violations(AiTaskRequest request) {
        Set<ConstraintViolation<AiTaskRequest>> violations = validator.validate(request);
        if (violations.isEmpty()) {
            return null;
        }
        return violations.stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                .collect(Collectors.joining(", "));
    }

    private static void failWithoutRetry(JobClient client, ActivatedJob job, String message) {
        // bad input does not heal by retrying: raise an incident at once
        client.newFailCommand(job).retries(0).errorMessage(message).send().join();
    }
}
