package io.aiops.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults in the answer itself: HTTP 200, billed like any answer, but spoiled the way a quality check must catch, in
 * every wire format.
 */
class QualityFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String SCHEMA =
            "{\"type\":\"object\",\"required\":[\"invoice\"],\"properties\":{\"invoice\":{\"type\":\"string\"}}}";

    private ProviderSimulator simulator;

    @BeforeEach
    void start() {
        simulator = ProviderSimulator.start(SimulatorConfig.builder().build());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void eachQualityFaultSpoilsAnOpenAiAnswerThatIsStillBilled() throws Exception {
        simulator.faults().add(FaultRule.parse("gpt-4o:refusalx1"));
        JsonNode refused = openAi("Classify: one of: billing, technical. My invoice is wrong", null);
        assertThat(text(refused)).isEqualTo(AnswerFaults.REFUSAL);
        assertThat(refused.at("/usage/completion_tokens").asLong()).isPositive();

        simulator.faults().add(FaultRule.parse("gpt-4o:wrong-categoryx1"));
        assertThat(text(openAi("Classify: one of: billing, technical. My invoice is wrong", null)))
                .isEqualTo(AnswerFaults.WRONG_CATEGORY);

        simulator.faults().add(FaultRule.parse("gpt-4o:invalid-jsonx1"));
        String notJson = text(openAi("Extract the invoice", SCHEMA));
        assertThat(notJson).isEqualTo(AnswerFaults.INVALID_JSON);

        simulator.faults().add(FaultRule.parse("gpt-4o:off-schemax1"));
        JsonNode offSchema = JSON.readTree(text(openAi("Extract the invoice", SCHEMA)));
        assertThat(offSchema.has("invoice")).isFalse();

        simulator.faults().add(FaultRule.parse("gpt-4o:truncatex1"));
        JsonNode cut = openAi("Write a long story about invoices", null);
        assertThat(cut.at("/choices/0/finish_reason").asText()).isEqualTo("length");

        // the next answer is whole again
        JsonNode whole = openAi("Extract the invoice", SCHEMA);
        assertThat(JSON.readTree(text(whole)).has("invoice")).isTrue();
        assertThat(whole.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(simulator.stats().faults("gpt-4o", FaultKind.OFF_SCHEMA)).isEqualTo(1);
    }

    @Test
    void anthropicAndGeminiAnswersAreSpoiledInTheirOwnShapes() throws Exception {
        simulator.faults().add(FaultRule.parse("claude-*:truncatex1"));
        JsonNode anthropic = JSON.readTree(post(
                        "/v1/messages",
                        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":200,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Write about invoices\"}]}")
                .body());
        assertThat(anthropic.path("stop_reason").asText()).isEqualTo("max_tokens");

        simulator.faults().add(FaultRule.parse("claude-*:invalid-jsonx1"));
        JsonNode forcedTool = JSON.readTree(post(
                        "/v1/messages",
                        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":200,"
                                + "\"tools\":[{\"name\":\"answer\",\"input_schema\":" + SCHEMA + "}],"
                                + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"answer\"},"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"Extract the invoice\"}]}")
                .body());
        assertThat(forcedTool.at("/content/0/type").asText()).isEqualTo("text");
        assertThat(forcedTool.at("/content/0/text").asText()).isEqualTo(AnswerFaults.INVALID_JSON);

        simulator.faults().add(FaultRule.parse("gemini-*:refusalx1"));
        JsonNode gemini = JSON.readTree(post(
                        "/v1beta/models/gemini-2.0-flash:generateContent",
                        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Classify this\"}]}]}")
                .body());
        assertThat(gemini.at("/candidates/0/content/parts/0/text").asText()).isEqualTo(AnswerFaults.REFUSAL);
        assertThat(gemini.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
    }

    @Test
    void qualityFaultsParseFromTheirSpecsAndRoundTrip() {
        for (String token : new String[] {"refusal", "invalid-json", "off-schema", "wrong-category", "truncate"}) {
            FaultRule rule = FaultRule.parse("*:" + token + "@40%");
            assertThat(rule.kind().inAnswer()).as(token).isTrue();
            assertThat(FaultRule.parse(rule.spec())).isEqualTo(rule);
        }
        assertThat(FaultKind.fromToken("truncated").inAnswer()).isFalse();
    }

    private JsonNode openAi(String prompt, String schema) throws Exception {
        String format = schema == null
                ? ""
                : ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\",\"schema\":" + schema
                        + "}}";
        HttpResponse<String> response = post(
                "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":" + JSON.writeValueAsString(prompt)
                        + "}]" + format + "}");
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String text(JsonNode chat) {
        return chat.at("/choices/0/message/content").asText();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(simulator.baseUri() + path))
                        .header("x-api-key", "sim-key")
                        .header("x-goog-api-key", "sim-key")
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
