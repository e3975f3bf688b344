package io.aiops.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private ProviderSimulator simulator;

    @BeforeEach
    void start() {
        simulator =
                ProviderSimulator.start(SimulatorConfig.builder().clock(FIXED).build());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void answersInTheOpenAiShapeWithDeterministicUsage() throws Exception {
        String system = "Answer with one of: billing, technical, account.";
        String user = "Ticket: I was charged twice, please fix my billing.";
        HttpResponse<String> response = chat(request("gpt-4o-mini", system, user));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-request-id"))
                .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
        assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).hasValue("10000");
        assertThat(response.headers().firstValue("x-ratelimit-remaining-requests"))
                .hasValue("9999");
        assertThat(response.headers().firstValue("x-ratelimit-reset-tokens")).hasValue("12ms");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.get("created").asLong()).isEqualTo(FIXED.instant().getEpochSecond());
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isEqualTo("billing");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = body.get("usage");
        long prompt = TokenRules.promptTokens(List.of(system, user));
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(prompt);
        assertThat(usage.get("completion_tokens").asLong()).isEqualTo(TokenRules.textTokens("billing"));
        assertThat(usage.get("total_tokens").asLong()).isEqualTo(prompt + TokenRules.textTokens("billing"));
        assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asLong())
                .isZero();
        assertThat(usage.get("completion_tokens_details")
                        .get("reasoning_tokens")
                        .asLong())
                .isZero();
    }

    @Test
    void reasoningModelsReportReasoningTokensInsideCompletionTokens() throws Exception {
        JsonNode usage = JSON.readTree(chat(request("o3-mini", "Be brief.", "Why is the sky blue?"))
                        .body())
                .get("usage");
        long prompt = TokenRules.promptTokens(List.of("Be brief.", "Why is the sky blue?"));
        long reasoning = TokenRules.reasoningTokens("o3-mini", prompt);
        assertThat(reasoning).isPositive();
        assertThat(usage.get("completion_tokens_details")
                        .get("reasoning_tokens")
                        .asLong())
                .isEqualTo(reasoning);
        assertThat(usage.get("completion_tokens").asLong()).isGreaterThan(reasoning);
    }

    @Test
    void aRepeatedLongSystemPromptIsReportedAsCached() throws Exception {
        String system = "Policy text. ".repeat(400);
        long systemTokens = TokenRules.messageTokens(system);
        JsonNode first = JSON.readTree(
                        chat(request("gpt-4o", system, "first question")).body())
                .get("usage");
        JsonNode second = JSON.readTree(
                        chat(request("gpt-4o", system, "second question")).body())
                .get("usage");
        JsonNode otherModel =
                JSON.readTree(chat(request("gpt-4o-mini", system, "x")).body()).get("usage");

        assertThat(first.get("prompt_tokens_details").get("cached_tokens").asLong())
                .isZero();
        assertThat(second.get("prompt_tokens_details").get("cached_tokens").asLong())
                .isEqualTo(systemTokens / 128 * 128)
                .isLessThanOrEqualTo(second.get("prompt_tokens").asLong());
        assertThat(otherModel.get("prompt_tokens_details").get("cached_tokens").asLong())
                .isZero();
    }

    @Test
    void maxTokensTruncatesTheAnswerWithFinishReasonLength() throws Exception {
        ObjectNode req = request("gpt-4o", null, "Write a long essay about incident management");
        req.put("max_tokens", 3);
        JsonNode body = JSON.readTree(chat(req).body());
        assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(body.get("choices").get(0).get("message").get("content").asText())
                .isEqualTo("Simulated an");
        assertThat(body.get("usage").get("completion_tokens").asLong()).isEqualTo(3);
    }

    @Test
    void structuredOutputFollowsTheRequestedSchema() throws Exception {
        ObjectNode req = request("gpt-4o-mini", "Classify the ticket.", "Ticket: the server crashed, technical issue");
        ObjectNode format = req.putObject("response_format");
        format.put("type", "json_schema");
        ObjectNode jsonSchema = format.putObject("json_schema");
        jsonSchema.put("name", "triage");
        jsonSchema.set("schema", JSON.readTree("""
        {"type":"object","properties":{"category":{"type":"string","enum":["billing","technical"]},
         "confidence":{"type":"number"}},"required":["category","confidence"],"additionalProperties":false}"""));
        String content = JSON.readTree(chat(req).body())
                .get("choices")
                .get(0)
                .get("message")
                .get("content")
                .asText();
        JsonNode answer = JSON.readTree(content);
        assertThat(answer.get("category").asText()).isEqualTo("technical");
        assertThat(answer.get("confidence").isNumber()).isTrue();
    }

    @Test
    void rateLimitFaultSendsRetryAfterAndOpenAiErrorBody() throws Exception {
        simulator.faults().add(FaultRule.parse("gpt-4o-mini:429"));
        HttpResponse<String> response = chat(request("gpt-4o-mini", null, "hi"));
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.get("message").asText()).contains("Rate limit");
        assertThat(error.has("param")).isTrue();
        // other models are unaffected
        assertThat(chat(request("gpt-4o", null, "hi")).statusCode()).isEqualTo(200);
    }

    @Test
    void quotaServerAndOverloadFaultsUseTheirStatusAndBody() throws Exception {
        record Case(String spec, int status, String type, String code) {}
        for (Case c : List.of(
                new Case("*:429-quota", 429, "insufficient_quota", "insufficient_quota"),
                new Case("*:500", 500, "server_error", null),
                new Case("*:503", 503, "server_error", null),
                new Case("*:529", 529, "overloaded_error", null))) {
            simulator.faults().clear();
            simulator.faults().add(FaultRule.parse(c.spec()));
            HttpResponse<String> response = chat(request("gpt-4o", null, "hi"));
            assertThat(response.statusCode()).as(c.spec()).isEqualTo(c.status());
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error.get("type").asText()).as(c.spec()).isEqualTo(c.type());
            assertThat(error.get("code").isNull() ? null : error.get("code").asText())
                    .as(c.spec())
                    .isEqualTo(c.code());
            assertThat(response.headers().firstValue("retry-after"))
                    .as(c.spec())
                    .isEmpty();
        }
    }

    @Test
    void malformedFaultCutsTheBodyOff() throws Exception {
        simulator.faults().add(FaultRule.parse("*:malformed"));
        HttpResponse<String> response = chat(request("gpt-4o", null, "hi"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> JSON.readTree(response.body())).isInstanceOf(IOException.class);
    }

    @Test
    void timeoutFaultHoldsTheResponseUntilTheClientGivesUp() throws Exception {
        simulator.faults().add(FaultRule.parse("gpt-4o:timeout"));
        HttpRequest request = post(
                        "/v1/chat/completions", request("gpt-4o", null, "hi").toString())
                .timeout(Duration.ofMillis(50))
                .build();
        assertThatThrownBy(() -> HTTP.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(simulator.stats().faults("gpt-4o", FaultKind.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aHeldRequestIsReleasedWhenTheSimulatorCloses() throws Exception {
        ProviderSimulator holding = ProviderSimulator.start(SimulatorConfig.builder()
                .fault("*:timeout")
                .timeoutHold(Duration.ofMinutes(5))
                .build());
        var pending = HTTP.sendAsync(
                post(holding, "/v1/chat/completions", request("m", null, "hi").toString())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        while (holding.stats().totalRequests() == 0) {
            Thread.onSpinWait();
        }
        holding.close();
        // the connection is closed without an answer instead of hanging for five minutes
        assertThatThrownBy(() -> pending.get(10, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void nextNFaultsStopAfterNRequests() throws Exception {
        simulator.faults().add(FaultRule.parse("gpt-4o:500x2"));
        assertThat(chat(request("gpt-4o", null, "a")).statusCode()).isEqualTo(500);
        assertThat(simulator.faults().rules()).containsExactly(FaultRule.next("gpt-4o", FaultKind.SERVER_ERROR, 1));
        assertThat(chat(request("gpt-4o", null, "b")).statusCode()).isEqualTo(500);
        assertThat(chat(request("gpt-4o", null, "c")).statusCode()).isEqualTo(200);
        assertThat(simulator.faults().rules()).isEmpty();
    }

    @Test
    void rateFaultsAreRepeatableForTheSameSeed() throws Exception {
        simulator.faults().add(FaultRule.parse("*:503@50%"));
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            first.append(chat(request("gpt-4o", null, "q" + i)).statusCode() == 503 ? 'F' : '.');
        }
        simulator.faults().clear();
        simulator.faults().add(FaultRule.parse("*:503@50%"));
        StringBuilder second = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            second.append(chat(request("gpt-4o", null, "q" + i)).statusCode() == 503 ? 'F' : '.');
        }
        assertThat(second.toString()).isEqualTo(first.toString());
        assertThat(first.toString()).contains("F").contains(".");
        long injected = first.chars().filter(ch -> ch == 'F').count() * 2;
        assertThat(simulator.stats().faults("gpt-4o", FaultKind.OVERLOADED)).isEqualTo(injected);
    }

    @Test
    void statsCountRequestsAndFaultsPerModelOverTheAdminApi() throws Exception {
        chat(request("gpt-4o", null, "a"));
        chat(request("gpt-4o", null, "b"));
        simulator.faults().add(FaultRule.parse("gpt-4o-mini:503x1"));
        chat(request("gpt-4o-mini", null, "c"));

        JsonNode stats = JSON.readTree(HTTP.send(
                        HttpRequest.newBuilder(simulator.baseUri().resolve("/_sim/stats"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(stats.get("totalRequests").asLong()).isEqualTo(3);
        assertThat(stats.get("requestsByModel").get("gpt-4o").asLong()).isEqualTo(2);
        assertThat(stats.get("requestsByModel").get("gpt-4o-mini").asLong()).isEqualTo(1);
        assertThat(stats.get("faultsByModel").get("gpt-4o-mini").get("503").asLong())
                .isEqualTo(1);
        assertThat(stats.get("totalFaults").asLong()).isEqualTo(1);

        assertThat(HTTP.send(
                                HttpRequest.newBuilder(simulator.baseUri().resolve("/_sim/stats"))
                                        .DELETE()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(204);
        assertThat(simulator.stats().totalRequests()).isZero();
    }

    @Test
    void faultsCanBeSetAndClearedOverTheAdminApi() throws Exception {
        HttpResponse<String> set = HTTP.send(
                post("/_sim/faults", "[{\"spec\":\"gpt-4o:503\"},{\"model\":\"*\",\"kind\":\"429\",\"count\":2}]")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(set.body()).findValuesAsText("spec")).containsExactly("gpt-4o:503", "*:429x2");
        assertThat(chat(request("gpt-4o", null, "a")).statusCode()).isEqualTo(503);
        assertThat(chat(request("other", null, "a")).statusCode()).isEqualTo(429);

        HttpResponse<String> bad = HTTP.send(
                post("/_sim/faults", "{\"spec\":\"gpt-4o:999\"}").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").get("message").asText())
                .contains("999");

        HTTP.send(
                HttpRequest.newBuilder(simulator.baseUri().resolve("/_sim/faults"))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(chat(request("gpt-4o", null, "a")).statusCode()).isEqualTo(200);
    }

    @Test
    void latencyIsAddedPerModel() throws Exception {
        simulator.latency().set("slow-model", Duration.ofMillis(30));
        long started = System.nanoTime();
        assertThat(chat(request("slow-model", null, "a")).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(30));
        assertThat(simulator.latency().latencyFor("gpt-4o")).isZero();
    }

    @Test
    void requiredApiKeyIsCheckedOnBearerAndAzureHeader() throws Exception {
        try (ProviderSimulator guarded = ProviderSimulator.start(
                SimulatorConfig.builder().apiKey("sk-sim").build())) {
            String body = request("gpt-4o", null, "hi").toString();
            HttpResponse<String> denied = HTTP.send(
                    post(guarded, "/v1/chat/completions", body).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(denied.body()).get("error").get("code").asText())
                    .isEqualTo("invalid_api_key");
            assertThat(HTTP.send(
                                    post(guarded, "/v1/chat/completions", body)
                                            .header("Authorization", "Bearer sk-sim")
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            HttpResponse<String> azure = HTTP.send(
                    post(
                                    guarded,
                                    "/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21",
                                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                            .header("api-key", "sk-sim")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(azure.statusCode()).isEqualTo(200);
            assertThat(guarded.stats().requests("my-gpt4o")).isEqualTo(1);
        }
    }

    @Test
    void badRequestsGetOpenAiErrors() throws Exception {
        assertThat(HTTP.send(post("/v1/chat/completions", "{not json").build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(400);
        assertThat(HTTP.send(
                                post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> unknown =
                HTTP.send(post("/v1/embeddings", "{}").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").get("code").asText())
                .isEqualTo("unknown_url");
    }

    private ObjectNode request(String model, String system, String user) {
        ObjectNode req = JSON.createObjectNode();
        req.put("model", model);
        ArrayNode messages = req.putArray("messages");
        if (system != null) {
            messages.addObject().put("role", "system").put("content", system);
        }
        messages.addObject().put("role", "user").put("content", user);
        return req;
    }

    private HttpResponse<String> chat(ObjectNode body) throws Exception {
        return HTTP.send(post("/v1/chat/completions", body.toString()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder post(String path, String body) {
        return post(simulator, path, body);
    }

    private static HttpRequest.Builder post(ProviderSimulator target, String path, String body) {
        return HttpRequest.newBuilder(URI.create(target.baseUri() + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
