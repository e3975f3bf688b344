package io.aiops.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.connector.model.AiTaskRequest;
import io.camunda.connector.runtime.test.outbound.OutboundConnectorContextBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code {{secrets.NAME}}} placeholders in the task input are resolved by the runtime before the pipeline sees them. */
class AiTaskConnectorFunctionSecretsTest {

    @Test
    void secretsInInputsAreResolved() {
        var context = OutboundConnectorContextBuilder.create()
                .secret("AIOPS_PROJECT", "support-emea")
                .secret("TEAM", "tier-2")
                .variables(Map.of(
                        "project", "{{secrets.AIOPS_PROJECT}}",
                        "taskKind", "classify",
                        "prompt", "Ticket for {{secrets.TEAM}}: my invoice is wrong",
                        "tags", Map.of("team", "{{secrets.TEAM}}")))
                .build();

        AiTaskRequest request = context.bindVariables(AiTaskRequest.class);

        assertThat(request.project()).isEqualTo("support-emea");
        assertThat(request.prompt()).isEqualTo("Ticket for tier-2: my invoice is wrong");
        assertThat(request.tags()).containsEntry("team", "tier-2");
    }
}
