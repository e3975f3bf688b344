package io.aiops.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.connector.model.AiTaskRequest;
import io.aiops.connector.pipeline.AiCallPipeline;
import io.aiops.connector.pipeline.CandidateCaller;
import io.aiops.policy.api.PolicyClient;
import io.camunda.connector.api.error.ConnectorInputException;
import io.camunda.connector.runtime.test.outbound.OutboundConnectorContextBuilder;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input from the diagram is refused before anything is asked or paid, naming the offending field. */
class AiTaskConnectorFunctionInputValidationTest {

    // nothing listens on port 9: a call to the policy service would fail with a different error
    private final AtomicInteger providerCalls = new AtomicInteger();
    private final CandidateCaller countingCaller = (provider, request) -> {
        providerCalls.incrementAndGet();
        throw new AssertionError("no provider may be called for invalid input");
    };
    private final AiTaskConnectorFunction function = new AiTaskConnectorFunction(AiCallPipeline.builder()
            .policy(new PolicyClient(URI.create("http://127.0.0.1:9"), "k"))
            .candidates(countingCaller)
            .clock(Clock.systemUTC())
            .build());

    @ParameterizedTest(name = "missing {0}")
    @CsvSource({"prompt", "project", "taskKind"})
    void missingRequiredFieldIsAnInputErrorNamingTheField(String field) {
        Map<String, Object> variables = new HashMap<>(valid());
        variables.remove(field);

        assertThatThrownBy(() -> function.execute(OutboundConnectorContextBuilder.create()
                        .variables(variables)
                        .build()))
                .isInstanceOf(ConnectorInputException.class)
                .hasMessageContaining(field);
        assertThat(providerCalls).hasValue(0);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "prompt, '  '",
        "maxOutputTokens, 0",
        "maxOutputTokens, -5",
        "estimatedInputTokens, -1",
        "taskKind, 'Classify Tickets'",
        "timeLimit, '2 minutes'",
        "timeLimit, 'PT'",
        "timeLimit, 'P1D'",
        "customTaskKind, 'Translate Text'",
        "customTaskKind, ' translate'",
        // the prompt is given, not a reference
        "promptSource, reference",
        "promptSource, sideways"
    })
    void invalidValueIsAnInputErrorNamingTheField(String field, String value) {
        Map<String, Object> variables = new HashMap<>(valid());
        variables.put(field, value.matches("-?\\d+") ? Integer.parseInt(value) : value);

        assertThatThrownBy(() -> function.execute(OutboundConnectorContextBuilder.create()
                        .variables(variables)
                        .build()))
                .isInstanceOf(ConnectorInputException.class)
                .hasMessageContaining(field);
    }

    @Test
    void maxOutputTokensDefaultsTo256() {
        AiTaskRequest request = OutboundConnectorContextBuilder.create()
                .variables(valid())
                .build()
                .bindVariables(AiTaskRequest.class);

        assertThat(request.maxOutputTokens()).isEqualTo(256);
        assertThat(request.tags()).isEmpty();
    }

    @ParameterizedTest(name = "taskKind {0}, customTaskKind {1} -> {2}")
    @CsvSource({
        "custom, translate, translate",
        "custom, '', custom",
        "custom, , custom",
        "classify, translate, classify",
        "matrix, , matrix"
    })
    void aCustomTaskIsRoutedByTheKindItsBuilderNamed(String taskKind, String customTaskKind, String routed) {
        Map<String, Object> variables = new HashMap<>(valid());
        variables.put("taskKind", taskKind);
        if (customTaskKind != null) {
            variables.put("customTaskKind", customTaskKind);
        }

        AiTaskRequest request = OutboundConnectorContextBuilder.create()
                .variables(variables)
                .build()
                .bindVariables(AiTaskRequest.class);

        assertThat(request.taskKind()).isEqualTo(routed);
    }

    @Test
    void aPromptSourceThatNamesTheFieldGivenIsAccepted() {
        Map<String, Object> inline = new HashMap<>(valid());
        inline.put("promptSource", "inline");
        Map<String, Object> reference = new HashMap<>(valid());
        reference.remove("prompt");
        reference.put("promptSource", "reference");
        reference.put("promptRef", "classify-ticket@production");

        for (Map<String, Object> variables : java.util.List.of(inline, reference)) {
            AiTaskRequest request = OutboundConnectorContextBuilder.create()
                    .variables(variables)
                    .build()
                    .bindVariables(AiTaskRequest.class);
            assertThat(request.promptSource()).isEqualTo(variables.get("promptSource"));
        }
    }

    private static Map<String, Object> valid() {
        return Map.of("project", "support", "taskKind", "classify", "prompt", "My invoice is wrong");
    }
}
