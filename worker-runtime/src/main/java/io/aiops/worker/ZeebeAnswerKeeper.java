package io.aiops.worker;

import io.aiops.connector.pipeline.AnswerKeeper;
import io.aiops.connector.pipeline.CallContext;
import io.aiops.connector.pipeline.PaidAnswer;
import io.camunda.client.CamundaClient;
import java.time.Duration;
import java.util.Map;

/**
 * Keeps a paid answer as a local variable of the job's element instance: Zeebe stores it replicated with the process,
 * and whichever worker gets the job next (after a failed outcome, a crash or a timeout) finds it among the job's
 * variables. The element instance's local variables go when it completes.
 */
final class ZeebeAnswerKeeper implements AnswerKeeper {

    private final CamundaClient client;
    private final Duration timeout;

    ZeebeAnswerKeeper(CamundaClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public void keep(CallContext context, PaidAnswer answer) {
        client.newSetVariablesCommand(context.elementInstanceKey())
                .variables(Map.of(PaidAnswer.VARIABLE, answer))
                .local(true)
                .requestTimeout(timeout)
                .send()
                .join();
    }
}
