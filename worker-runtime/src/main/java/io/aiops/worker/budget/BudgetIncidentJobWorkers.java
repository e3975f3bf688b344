package io.aiops.worker.budget;

import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.worker.AiOpsProperties;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The job workers of the AI budget incident process: {@value #RAISE_TYPE} raises a budget through the policy API with
 * the ADMIN key of {@code aiops.budget-raise.api-key}; {@value #NOTIFY_TYPE} posts the incident notice to
 * {@code aiops.budget-raise.notify-url}. Refusals become BPMN errors ({@link BudgetRaiseRefused}); an unreachable
 * policy service or webhook fails the job with retries - 1 and a backoff.
 */
@Component
@ConditionalOnProperty(name = "aiops.budget-raise.enabled", havingValue = "true")
public class BudgetIncidentJobWorkers {

    /** The job type of the task that raises a budget. */
    public static final String RAISE_TYPE = "io.aiops:budget-raise:1";

    /** The job type of the task that sends the incident notice. */
    public static final String NOTIFY_TYPE = "io.aiops:budget-incident-notify:1";

    private static final Logger LOG = LoggerFactory.getLogger(BudgetIncidentJobWorkers.class);

    private final BudgetRaiser raiser;
    private final URI notifyUrl;
    private final Duration retryBackoff;
    private final Duration requestTimeout;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public BudgetIncidentJobWorkers(AiOpsProperties aiops, BudgetRaiseProperties properties) {
        if (properties.apiKey() == null || properties.apiKey().isBlank()) {
            throw new IllegalStateException(
                    "aiops.budget-raise.enabled is true but aiops.budget-raise.api-key (an ADMIN key of the policy"
                            + " service) is not set");
        }
        this.requestTimeout = aiops.policy().requestTimeout();
        this.raiser = new BudgetRaiser(
                new PolicyClient(aiops.policy().url(), properties.apiKey(), requestTimeout), properties.maxLimitUsd());
        this.notifyUrl = properties.notifyUrl();
        this.retryBackoff = properties.retryBackoff();
    }

    @JobWorker(
            name = "budgetRaiseWorker",
            type = RAISE_TYPE,
            autoComplete = false,
            fetchVariables = {"budgetId", "newLimitUsd", "approvedBy", "approvalNote"})
    public void raise(JobClient client, ActivatedJob job) {
        try {
            BudgetRaiser.BudgetRaised raised = raiser.raise(BudgetRaiseRequest.fromVariables(job.getVariables()));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("budgetId", raised.budgetId());
            // decimal strings: Zeebe would keep JSON numbers as doubles
            result.put("previousLimitUsd", raised.previousLimitUsd().toPlainString());
            result.put("newLimitUsd", raised.newLimitUsd().toPlainString());
            result.put(
                    "spentUsd",
                    raised.spentUsd() == null ? null : raised.spentUsd().toPlainString());
            result.put("approvedBy", raised.approvedBy());
            result.put("approvalNote", raised.approvalNote());
            result.put("alreadyInForce", raised.alreadyInForce());
            LOG.info(
                    "Budget {} raised from {} to {} USD, approved by {}",
                    raised.budgetId(),
                    raised.previousLimitUsd().toPlainString(),
                    raised.newLimitUsd().toPlainString(),
                    raised.approvedBy());
            client.newCompleteCommand(job)
                    .variables(Map.of("budgetRaise", result))
                    .send()
                    .join();
        } catch (BudgetRaiseRefused e) {
            client.newThrowErrorCommand(job)
                    .errorCode(e.code())
                    .errorMessage(e.getMessage())
                    .send()
                    .join();
        } catch (PolicyServiceException e) {
            retryLater(client, job, "policy service unavailable: " + e.getMessage());
        }
    }

    @JobWorker(
            name = "budgetIncidentNotifyWorker",
            type = NOTIFY_TYPE,
            autoComplete = false,
            fetchVariables = {"notifyText"})
    public void notify(JobClient client, ActivatedJob job) {
        Object text = job.getVariablesAsMap().get("notifyText");
        if (!(text instanceof String notice) || notice.isBlank()) {
            client.newFailCommand(job)
                    .retries(0)
                    .errorMessage("notifyText is required (the notice to send)")
                    .send()
                    .join();
            return;
        }
        if (notifyUrl == null) {
            client.newFailCommand(job)
                    .retries(0)
                    .errorMessage("aiops.budget-raise.notify-url is not set: nowhere to send the incident notice")
                    .send()
                    .join();
            return;
        }
        try {
            String body = PolicyClient.JSON.writeValueAsString(Map.of("text", notice));
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(notifyUrl)
                            .timeout(requestTimeout)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                retryLater(client, job, "notify webhook answered " + response.statusCode());
                return;
            }
            client.newCompleteCommand(job)
                    .variables(Map.of("notified", true))
                    .send()
                    .join();
        } catch (IOException e) {
            retryLater(client, job, "notify webhook unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retryLater(client, job, "interrupted");
        }
    }

    private void retryLater(JobClient client, ActivatedJob job, String why) {
        LOG.warn("Job {} ({}) failed, {} retries left: {}", job.getKey(), job.getType(), job.getRetries() - 1, why);
        client.newFailCommand(job)
                .retries(Math.max(0, job.getRetries() - 1))
                .retryBackoff(retryBackoff)
                .errorMessage(why)
                .send()
                .join();
    }
}
