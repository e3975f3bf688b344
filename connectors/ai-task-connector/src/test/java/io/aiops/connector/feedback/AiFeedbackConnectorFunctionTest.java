package io.aiops.connector.feedback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.aiops.policy.api.PolicyClient;
import io.camunda.connector.api.error.ConnectorException;
import io.camunda.connector.api.error.ConnectorRetryException;
import io.camunda.connector.runtime.test.outbound.OutboundConnectorContextBuilder;
import io.camunda.connector.runtime.test.outbound.TestJobContext;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The AI feedback task against a faked policy service: what it posts, what the workflow gets, which errors. */
class AiFeedbackConnectorFunctionTest {

    @RegisterExtension
    static WireMockExtension wire = WireMockExtension.newInstance().build();

    static final long PROCESS_INSTANCE_KEY = 2251799813685249L;
    static final long ELEMENT_INSTANCE_KEY = 2251799813685777L;
    static final UUID CALL_ID = UUID.fromString("9a1b2c3d-4e5f-4a6b-8c7d-1e2f3a4b5c6d");
    static final UUID FEEDBACK_ID = UUID.fromString("11111111-2222-4333-8444-555555555555");

    private AiFeedbackConnectorFunction function;

    @BeforeEach
    void setUp() {
        function = new AiFeedbackConnectorFunction(
                new PolicyClient(URI.create(wire.baseUrl()), "worker-key", Duration.ofSeconds(2)));
    }

    static OutboundConnectorContextBuilder.TestConnectorContext context(Map<String, ?> variables) {
        OutboundConnectorContextBuilder.TestConnectorContext context =
                OutboundConnectorContextBuilder.create().variables(variables).build();
        TestJobContext job = (TestJobContext) context.getJobContext();
        job.setProcessInstanceKey(PROCESS_INSTANCE_KEY);
        job.setElementId("review_extraction");
        job.setElementInstanceKey(ELEMENT_INSTANCE_KEY);
        return context;
    }

    static void answer(int status, String body) {
        wire.stubFor(post(urlEqualTo("/api/v1/feedback"))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", status < 300 ? "application/json" : "application/problem+json")
                        .withBody(body)));
    }

    static JsonNode posted() throws Exception {
        return PolicyClient.JSON.readTree(wire.findAll(postRequestedFor(urlEqualTo("/api/v1/feedback")))
                .getFirst()
                .getBodyAsString());
    }

    @Test
    void aReviewersVerdictOnTheAiTaskIsPostedOncePerElementInstance() throws Exception {
        wire.stubFor(post(urlEqualTo("/api/v1/feedback"))
                .willReturn(okJson("{\"feedbackId\":\"" + FEEDBACK_ID + "\",\"callId\":\"" + CALL_ID
                        + "\",\"scores\":1,\"recordedAt\":\"2026-12-01T10:00:00Z\",\"repeated\":false}")));

        AiFeedbackResult result = (AiFeedbackResult) function.execute(context(Map.of(
                "aiTaskElementId", "extract_invoice",
                "scoreName", "accepted",
                "verdict", false,
                "source", "HUMAN",
                "explanation", "total was wrong")));

        assertThat(result).isEqualTo(new AiFeedbackResult(CALL_ID, FEEDBACK_ID, false));
        JsonNode body = posted();
        assertThat(body.path("processInstanceKey").asLong()).isEqualTo(PROCESS_INSTANCE_KEY);
        assertThat(body.path("elementId").asText()).isEqualTo("extract_invoice");
        assertThat(body.path("idempotencyKey").asText()).isEqualTo("fb:" + ELEMENT_INSTANCE_KEY);
        JsonNode score = body.path("scores").get(0);
        assertThat(score.path("name").asText()).isEqualTo("accepted");
        assertThat(score.path("type").asText()).isEqualTo("BOOLEAN");
        assertThat(score.path("value").decimalValue()).isZero();
        assertThat(score.path("source").asText()).isEqualTo("HUMAN");
        assertThat(score.path("explanation").asText()).isEqualTo("total was wrong");
    }

    @Test
    void numbersAndTextsBecomeNumericAndCategoricalScoresOnTheNamedCall() throws Exception {
        answer(
                201,
                "{\"feedbackId\":\"" + FEEDBACK_ID + "\",\"callId\":\"" + CALL_ID
                        + "\",\"scores\":1,\"recordedAt\":\"2026-12-01T10:00:00Z\",\"repeated\":true}");

        AiFeedbackResult numeric = (AiFeedbackResult) function.execute(context(Map.of(
                "callId", CALL_ID.toString(), "scoreName", "helpfulness", "verdict", 0.75, "source", "DOWNSTREAM")));
        JsonNode score = posted().path("scores").get(0);
        assertThat(posted().path("callId").asText()).isEqualTo(CALL_ID.toString());
        assertThat(score.path("type").asText()).isEqualTo("NUMERIC");
        assertThat(score.path("value").decimalValue()).isEqualByComparingTo("0.75");
        assertThat(score.path("source").asText()).isEqualTo("DOWNSTREAM");
        assertThat(numeric.repeated()).isTrue();

        wire.resetRequests();
        function.execute(
                context(Map.of("callId", CALL_ID.toString(), "scoreName", "correction", "verdict", " total ")));
        JsonNode category = posted().path("scores").get(0);
        assertThat(category.path("type").asText()).isEqualTo("CATEGORICAL");
        assertThat(category.path("label").asText()).isEqualTo("total");
        assertThat(category.path("source").asText()).isEqualTo("HUMAN");
    }

    @Test
    void anUnknownCallAndARefusedVerdictAreNamedBpmnErrorsAndAnOutageRetries() {
        answer(404, "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no call\"}");
        assertThatThrownBy(() -> function.execute(context(
                        Map.of("aiTaskElementId", "extract_invoice", "scoreName", "accepted", "verdict", true))))
                .isInstanceOfSatisfying(
                        ConnectorException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("AI_FEEDBACK_CALL_UNKNOWN"));

        answer(400, "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"value\"}");
        assertThatThrownBy(() -> function.execute(
                        context(Map.of("aiTaskElementId", "extract_invoice", "scoreName", "accepted", "verdict", 7))))
                .isInstanceOfSatisfying(
                        ConnectorException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("AI_FEEDBACK_REJECTED"));

        answer(503, "{\"type\":\"about:blank\",\"title\":\"Unavailable\",\"status\":503}");
        assertThatThrownBy(() -> function.execute(context(
                        Map.of("aiTaskElementId", "extract_invoice", "scoreName", "accepted", "verdict", true))))
                .isInstanceOf(ConnectorRetryException.class);
    }

    @Test
    void aTaskThatNamesNoCallOrAnUnreadableOneIsRefusedWithoutPosting() {
        assertThatThrownBy(() -> function.execute(context(Map.of("scoreName", "accepted", "verdict", true))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("AI_FEEDBACK_REJECTED");
                    assertThat(e.getMessage()).contains("name the AI call");
                });
        assertThatThrownBy(() -> function.execute(
                        context(Map.of("callId", "not-a-uuid", "scoreName", "accepted", "verdict", true))))
                .hasMessageContaining("not an AI call id");
        assertThatThrownBy(() -> function.execute(context(
                        Map.of("callId", CALL_ID.toString(), "scoreName", "accepted", "verdict", Map.of("a", 1)))))
                .hasMessageContaining("verdict must be");
        wire.verify(0, postRequestedFor(urlEqualTo("/api/v1/feedback")));
    }
}
