package io.aiops.sandbox;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.camunda.client.api.worker.JobWorker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the people of the sample workflows: completes a user task of a sample instance with the answers its sample
 * gives under {@value #SAMPLE_KEY} ({@code {"<user task id>": {variables}}}), so the sandbox's instances run to the end.
 * A user task its sample does not answer stays open (the instance is then reported as not ended).
 */
final class StandInPerson implements AutoCloseable {

    /** The sample key holding the user tasks' answers; it is taken out of the instance's variables. */
    static final String SAMPLE_KEY = "sandboxUserTasks";

    /** The job type of Zeebe's job-worker user tasks. */
    static final String USER_TASK_JOB = "io.camunda.zeebe:userTask";

    private final Map<Long, Map<?, ?>> answersByInstance = new ConcurrentHashMap<>();
    private JobWorker worker;

    private StandInPerson() {}

    static StandInPerson open(CamundaClient zeebe) {
        StandInPerson person = new StandInPerson();
        person.worker = zeebe.newWorker()
                .jobType(USER_TASK_JOB)
                .handler(person::handle)
                .name("sandbox-stand-in-person")
                .timeout(Duration.ofMinutes(5))
                .open();
        return person;
    }

    /** Registers the answers of the sample {@code processInstanceKey} was started with (null: none). */
    void answer(long processInstanceKey, Object answers) {
        if (answers instanceof Map<?, ?> byTask) {
            answersByInstance.put(processInstanceKey, byTask);
        } else if (answers != null) {
            throw new IllegalArgumentException(SAMPLE_KEY + " must map user task ids to variables, not " + answers);
        }
    }

    private void handle(JobClient client, ActivatedJob job) {
        Map<?, ?> byTask = answersByInstance.get(job.getProcessInstanceKey());
        Object variables = byTask == null ? null : byTask.get(job.getElementId());
        if (!(variables instanceof Map<?, ?> answer)) {
            // not answered (yet: the instance may have reached it before its answers were registered): offered again
            // in a second, the retries untouched, so a person or a test can take it meanwhile
            client.newFailCommand(job)
                    .retries(job.getRetries())
                    .retryBackoff(Duration.ofSeconds(1))
                    .errorMessage("the sample gives no answer for " + job.getElementId())
                    .send()
                    .join();
            return;
        }
        client.newCompleteCommand(job).variables(answer).send().join();
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
    }
}
