package io.aiops.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Anthropic Messages and Gemini generateContent formats: same answers and token rules, their own usage fields. */
class AnthropicAndGeminiSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String LONG_SYSTEM =
            "You triage support tickets for a shop. ".repeat(120) + "Answer with one of: billing, technical, account.";

    private ProviderSimulator simulator;

    @BeforeEach
    void start() {
        simulator = ProviderSimulator.start(
                SimulatorConfig.builder().clock(FIXED).apiKey("sim-key").build());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void anthropicAnswersWithInputTokensExcludingTheCache() throws Exception {
        String system = "Answer with one of: billing, technical, account.";
        String user = "Ticket: I was charged twice, please fix my billing.";
        HttpResponse<String> response = anthropic("""
        {"model":"claude-haiku-4-5","max_tokens":50,"system":%s,
         "messages":[{"role":"user","content":%s}]}""".formatted(quote(system), quote(user)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("request-id"))
                .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asText()).isEqualTo("message");
        assertThat(body.get("content").get(0).get("text").asText()).isEqualTo("billing");
        assertThat(body.get("stop_reason").asText()).isEqualTo("end_turn");
        JsonNode usage = body.get("usage");
        assertThat(usage.get("input_tokens").asLong()).isEqualTo(TokenRules.promptTokens(List.of(system, user)));
        assertThat(usage.get("output_tokens").asLong()).isEqualTo(TokenRules.textTokens("billing"));
        assertThat(usage.get("cache_read_input_tokens").asLong()).isZero();
        assertThat(usage.get("cache_creation_input_tokens").asLong()).isZero();
    }

    @Test
    void anthropicWritesACacheControlledSystemPromptFirstAndReadsItAfterwards() throws Exception {
        String request = """
        {"model":"claude-sonnet-4-20250514","max_tokens":50,
         "system":[{"type":"text","text":%s,"cache_control":{"type":"ephemeral"}}],
         "messages":[{"role":"user","content":"Ticket: my invoice is wrong"}]}""".formatted(quote(LONG_SYSTEM));
        long systemTokens = TokenRules.messageTokens(LONG_SYSTEM);
        long promptTokens = TokenRules.promptTokens(List.of(LONG_SYSTEM, "Ticket: my invoice is wrong"));

        JsonNode first = JSON.readTree(anthropic(request).body()).get("usage");
        assertThat(first.get("cache_creation_input_tokens").asLong()).isEqualTo(systemTokens);
        assertThat(first.get("cache_read_input_tokens").asLong()).isZero();
        assertThat(first.get("input_tokens").asLong()).isEqualTo(promptTokens - systemTokens);

        JsonNode second = JSON.readTree(anthropic(request).body()).get("usage");
        assertThat(second.get("cache_creation_input_tokens").asLong()).isZero();
        assertThat(second.get("cache_read_input_tokens").asLong()).isEqualTo(systemTokens);
        assertThat(second.get("input_tokens").asLong()).isEqualTo(promptTokens - systemTokens);
    }

    @Test
    void anthropicAnswersAForcedToolWithInputFollowingItsSchema() throws Exception {
        JsonNode body = JSON.readTree(anthropic("""
        {"model":"claude-haiku-4-5","max_tokens":200,
         "messages":[{"role":"user","content":"Ticket: the app crashes. Category one of: billing, technical."}],
         "tools":[{"name":"structured_result","input_schema":{"type":"object",
            "properties":{"category":{"type":"string","enum":["billing","technical"]}},"required":["category"]}}],
         "tool_choice":{"type":"tool","name":"structured_result"}}""").body());
        assertThat(body.get("stop_reason").asText()).isEqualTo("tool_use");
        JsonNode block = body.get("content").get(0);
        assertThat(block.get("type").asText()).isEqualTo("tool_use");
        assertThat(block.get("input").get("category").asText()).isIn("billing", "technical");
    }

    @Test
    void anthropicRequiresItsKeyHeaderAndMaxTokens() throws Exception {
        HttpResponse<String> noKey = HTTP.send(
                HttpRequest.newBuilder(URI.create(simulator.baseUri() + "/v1/messages"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"max_tokens\":5,"
                                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(noKey.body()).get("error").get("type").asText())
                .isEqualTo("authentication_error");
        HttpResponse<String> noMax =
                anthropic("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(noMax.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noMax.body()).get("error").get("type").asText())
                .isEqualTo("invalid_request_error");
    }

    @Test
    void anthropicFaultsUseItsErrorShapeIncluding529() throws Exception {
        simulator.faults().add(FaultRule.parse("claude-haiku-4-5:529x1"));
        simulator.faults().add(FaultRule.parse("claude-haiku-4-5:429x1"));
        simulator.faults().add(FaultRule.parse("claude-haiku-4-5:429-quotax1"));
        String request = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        HttpResponse<String> overloaded = anthropic(request);
        assertThat(overloaded.statusCode()).isEqualTo(529);
        assertThat(JSON.readTree(overloaded.body()).get("error").get("type").asText())
                .isEqualTo("overloaded_error");

        HttpResponse<String> limited = anthropic(request);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
        assertThat(limited.headers().firstValue("anthropic-ratelimit-requests-remaining"))
                .hasValue("0");
        assertThat(limited.headers().firstValue("anthropic-ratelimit-requests-reset"))
                .hasValue("2026-01-02T03:04:06Z");
        assertThat(JSON.readTree(limited.body()).get("error").get("type").asText())
                .isEqualTo("rate_limit_error");

        HttpResponse<String> spendLimit = anthropic(request);
        assertThat(spendLimit.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(spendLimit.body()).get("error").get("message").asText())
                .contains("spend limit");
        assertThat(anthropic(request).statusCode()).isEqualTo(200);
    }

    @Test
    void geminiReportsPromptTokensIncludingTheCacheAndThoughtsBesideCandidates() throws Exception {
        String request = """
        {"systemInstruction":{"parts":[{"text":%s}]},
         "contents":[{"role":"user","parts":[{"text":"Ticket: the app crashes"}]}]}""".formatted(quote(LONG_SYSTEM));
        long promptTokens = TokenRules.promptTokens(List.of(LONG_SYSTEM, "Ticket: the app crashes"));

        JsonNode first = JSON.readTree(gemini("gemini-2.0-flash", request).body());
        assertThat(first.get("candidates")
                        .get(0)
                        .get("content")
                        .get("parts")
                        .get(0)
                        .get("text")
                        .asText())
                .isIn("billing", "technical", "account");
        JsonNode firstUsage = first.get("usageMetadata");
        assertThat(firstUsage.get("promptTokenCount").asLong()).isEqualTo(promptTokens);
        assertThat(firstUsage.has("cachedContentTokenCount")).isFalse();
        assertThat(firstUsage.has("thoughtsTokenCount")).isFalse();

        JsonNode second =
                JSON.readTree(gemini("gemini-2.0-flash", request).body()).get("usageMetadata");
        assertThat(second.get("promptTokenCount").asLong()).isEqualTo(promptTokens);
        assertThat(second.get("cachedContentTokenCount").asLong())
                .isEqualTo(TokenRules.cachedTokens(TokenRules.messageTokens(LONG_SYSTEM), true));

        JsonNode thinking = JSON.readTree(gemini("gemini-2.5-flash", request).body());
        JsonNode usage = thinking.get("usageMetadata");
        String answer = thinking.get("candidates")
                .get(0)
                .get("content")
                .get("parts")
                .get(0)
                .get("text")
                .asText();
        assertThat(usage.get("candidatesTokenCount").asLong()).isEqualTo(TokenRules.textTokens(answer));
        assertThat(usage.get("thoughtsTokenCount").asLong())
                .isEqualTo(TokenRules.reasoningTokens("gemini-2.5-flash", promptTokens));
        assertThat(usage.get("totalTokenCount").asLong())
                .isEqualTo(promptTokens
                        + usage.get("candidatesTokenCount").asLong()
                        + usage.get("thoughtsTokenCount").asLong());
    }

    @Test
    void geminiAnswersJsonForAResponseSchema() throws Exception {
        JsonNode body = JSON.readTree(gemini("gemini-2.0-flash", """
        {"contents":[{"role":"user","parts":[{"text":"Ticket: refund please"}]}],
         "generationConfig":{"responseMimeType":"application/json","responseJsonSchema":{"type":"object",
           "properties":{"urgent":{"type":"boolean"}},"required":["urgent"]}}}""").body());
        String text = body.get("candidates")
                .get(0)
                .get("content")
                .get("parts")
                .get(0)
                .get("text")
                .asText();
        assertThat(JSON.readTree(text).get("urgent").isBoolean()).isTrue();
    }

    @Test
    void geminiRateLimitsCarryRetryInfoAndAnExhaustedDailyQuota() throws Exception {
        simulator.faults().add(FaultRule.parse("gemini-2.0-flash:429x1"));
        simulator.faults().add(FaultRule.parse("gemini-2.0-flash:429-quotax1"));
        simulator.faults().add(FaultRule.parse("gemini-2.0-flash:503x1"));
        String request = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}";

        HttpResponse<String> limited = gemini("gemini-2.0-flash", request);
        assertThat(limited.statusCode()).isEqualTo(429);
        JsonNode error = JSON.readTree(limited.body()).get("error");
        assertThat(error.get("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.get("details").findValuesAsText("retryDelay")).containsExactly("1s");

        JsonNode quota =
                JSON.readTree(gemini("gemini-2.0-flash", request).body()).get("error");
        assertThat(quota.get("details").findValuesAsText("quotaId").get(0)).contains("PerDay");

        HttpResponse<String> unavailable = gemini("gemini-2.0-flash", request);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(unavailable.body()).get("error").get("status").asText())
                .isEqualTo("UNAVAILABLE");
        assertThat(simulator.stats().requests("gemini-2.0-flash")).isEqualTo(3);
    }

    private HttpResponse<String> anthropic(String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(simulator.baseUri() + "/v1/messages"))
                        .header("x-api-key", "sim-key")
                        .header("anthropic-version", "2023-06-01")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> gemini(String model, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(simulator.baseUri() + "/v1beta/models/" + model + ":generateContent"))
                        .header("x-goog-api-key", "sim-key")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String quote(String text) throws Exception {
        return JSON.writeValueAsString(text);
    }
}
