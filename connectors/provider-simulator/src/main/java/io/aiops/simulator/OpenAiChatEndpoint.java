package io.aiops.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves OpenAI Chat Completions ({@code POST /v1/chat/completions}, also Azure's
 * {@code /openai/deployments/{deployment}/chat/completions}) with the answers of {@link AnswerRules} and the usage of
 * {@link TokenRules}.
 */
final class OpenAiChatEndpoint {

  static final long RATE_LIMIT_REQUESTS = 10_000;
  static final long RATE_LIMIT_TOKENS = 2_000_000;
  private static final Pattern AZURE_PATH = Pattern.compile("/openai/deployments/([^/]+)/chat/completions/?");
  private static final int MAX_REMEMBERED_SYSTEM_PROMPTS = 10_000;

  private final SimulatorConfig config;
  private final FaultPlan faults;
  private final LatencyPlan latency;
  private final StatsCounter stats;
  private final CountDownLatch closing;
  private final AtomicLong sequence = new AtomicLong();
  private final Set<String> seenSystemPrompts = ConcurrentHashMap.newKeySet();

  OpenAiChatEndpoint(SimulatorConfig config, FaultPlan faults, LatencyPlan latency, StatsCounter stats,
      CountDownLatch closing) {
    this.config = config;
    this.faults = faults;
    this.latency = latency;
    this.stats = stats;
    this.closing = closing;
  }

  static boolean serves(String path) {
    return path.equals("/v1/chat/completions") || path.equals("/chat/completions")
        || AZURE_PATH.matcher(path).matches();
  }

  void handle(HttpExchange exchange) throws IOException, InterruptedException {
    long seq = sequence.incrementAndGet();
    exchange.getResponseHeaders().set("x-request-id", "req_sim_" + Long.toHexString(0x100000L + seq));
    if (!"POST".equals(exchange.getRequestMethod())) {
      HttpReplies.openAiError(exchange, 405, "Use POST for " + exchange.getRequestURI().getPath(),
          "invalid_request_error", "method_not_allowed");
      return;
    }
    JsonNode body;
    try (InputStream in = exchange.getRequestBody()) {
      body = HttpReplies.JSON.readTree(in);
    } catch (JsonProcessingException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      stats.request("(unreadable)");
      HttpReplies.openAiError(exchange, 400, "We could not parse the JSON body of your request.",
          "invalid_request_error", null);
      return;
    }
    String model = modelOf(exchange.getRequestURI().getPath(), body);
    if (model == null) {
      stats.request("(unreadable)");
      HttpReplies.openAiError(exchange, 400, "you must provide a model parameter", "invalid_request_error", null);
      return;
    }
    stats.request(model);
    if (!authorised(exchange.getRequestHeaders())) {
      HttpReplies.openAiError(exchange, 401, "Incorrect API key provided.", "invalid_request_error",
          "invalid_api_key");
      return;
    }
    Duration delay = latency.latencyFor(model);
    if (!delay.isZero()) {
      Thread.sleep(delay);
    }
    Optional<FaultKind> fault = faults.decide(model);
    if (fault.isPresent()) {
      stats.fault(model, fault.get());
      sendFault(exchange, fault.get(), model, seq);
      return;
    }
    if (body.path("stream").asBoolean(false)) {
      HttpReplies.openAiError(exchange, 400, "The simulator does not stream; send stream=false.",
          "invalid_request_error", "unsupported_parameter");
      return;
    }
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      HttpReplies.openAiError(exchange, 400, "'messages' must be a non-empty array.", "invalid_request_error",
          null);
      return;
    }
    answer(exchange, body, model, messages, seq);
  }

  private void answer(HttpExchange exchange, JsonNode body, String model, JsonNode messages, long seq)
      throws IOException {
    List<String> contents = new ArrayList<>();
    String systemPrompt = null;
    for (JsonNode message : messages) {
      String content = contentOf(message.get("content"));
      contents.add(content);
      String role = message.path("role").asText();
      if (systemPrompt == null && (role.equals("system") || role.equals("developer"))) {
        systemPrompt = content;
      }
    }
    String prompt = String.join("\n", contents);
    String answer = answerText(body.get("response_format"), model, prompt);
    String finishReason = "stop";
    long maxTokens = body.path("max_completion_tokens").asLong(body.path("max_tokens").asLong(0));
    if (maxTokens > 0 && TokenRules.textTokens(answer) > maxTokens) {
      answer = answer.substring(0, (int) Math.min(answer.length(), maxTokens * 4));
      finishReason = "length";
    }
    long promptTokens = TokenRules.promptTokens(contents);
    long cached = 0;
    if (systemPrompt != null) {
      long systemTokens = TokenRules.messageTokens(systemPrompt);
      if (systemTokens >= TokenRules.CACHE_MINIMUM_TOKENS) {
        boolean seenBefore = !remember(model + "\u0000" + systemPrompt);
        cached = TokenRules.cachedTokens(systemTokens, seenBefore);
      }
    }
    long reasoning = TokenRules.reasoningTokens(model, promptTokens);
    long completionTokens = TokenRules.textTokens(answer) + reasoning;

    ObjectNode response = HttpReplies.JSON.createObjectNode();
    response.put("id", "chatcmpl-sim" + String.format("%08d", seq));
    response.put("object", "chat.completion");
    response.put("created", config.clock().instant().getEpochSecond());
    response.put("model", model);
    ArrayNode choices = response.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", answer);
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    ObjectNode usage = response.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
    promptDetails.put("cached_tokens", cached);
    promptDetails.put("audio_tokens", 0);
    ObjectNode completionDetails = usage.putObject("completion_tokens_details");
    completionDetails.put("reasoning_tokens", reasoning);
    completionDetails.put("audio_tokens", 0);
    completionDetails.put("accepted_prediction_tokens", 0);
    completionDetails.put("rejected_prediction_tokens", 0);
    response.put("system_fingerprint", "fp_simulator");

    Headers headers = exchange.getResponseHeaders();
    long requestsSoFar = stats.snapshot().requests(model);
    headers.set("x-ratelimit-limit-requests", String.valueOf(RATE_LIMIT_REQUESTS));
    headers.set("x-ratelimit-limit-tokens", String.valueOf(RATE_LIMIT_TOKENS));
    headers.set("x-ratelimit-remaining-requests",
        String.valueOf(RATE_LIMIT_REQUESTS - 1 - (requestsSoFar - 1) % RATE_LIMIT_REQUESTS));
    headers.set("x-ratelimit-remaining-tokens",
        String.valueOf(Math.max(0, RATE_LIMIT_TOKENS - promptTokens - completionTokens)));
    headers.set("x-ratelimit-reset-requests", "6s");
    headers.set("x-ratelimit-reset-tokens", "12ms");
    headers.set("openai-processing-ms", String.valueOf(latency.latencyFor(model).toMillis()));
    HttpReplies.json(exchange, 200, response);
  }

  private static String answerText(JsonNode responseFormat, String model, String prompt)
      throws JsonProcessingException {
    String type = responseFormat == null ? "text" : responseFormat.path("type").asText("text");
    if (type.equals("json_schema")) {
      JsonNode schema = responseFormat.path("json_schema").get("schema");
      return HttpReplies.JSON.writeValueAsString(AnswerRules.jsonAnswer(schema, prompt));
    }
    if (type.equals("json_object")) {
      ObjectNode object = HttpReplies.JSON.createObjectNode();
      object.put("answer", AnswerRules.textAnswer(model, prompt));
      return HttpReplies.JSON.writeValueAsString(object);
    }
    return AnswerRules.textAnswer(model, prompt);
  }

  private boolean remember(String systemPromptKey) {
    String key = AnswerRules.sha256Hex(systemPromptKey);
    if (seenSystemPrompts.size() >= MAX_REMEMBERED_SYSTEM_PROMPTS && !seenSystemPrompts.contains(key)) {
      // bounded memory for long runs: forgetting only costs a cache miss
      seenSystemPrompts.clear();
    }
    return seenSystemPrompts.add(key);
  }

  private void sendFault(HttpExchange exchange, FaultKind kind, String model, long seq)
      throws IOException, InterruptedException {
    Headers headers = exchange.getResponseHeaders();
    switch (kind) {
      case RATE_LIMIT -> {
        headers.set("retry-after", String.valueOf(config.retryAfterSeconds()));
        headers.set("x-ratelimit-limit-requests", String.valueOf(RATE_LIMIT_REQUESTS));
        headers.set("x-ratelimit-remaining-requests", "0");
        headers.set("x-ratelimit-reset-requests", config.retryAfterSeconds() + "s");
        HttpReplies.openAiError(exchange, 429, "Rate limit reached for " + model
                + " on requests per min (RPM): Limit " + RATE_LIMIT_REQUESTS + ". Please try again in "
                + config.retryAfterSeconds() + "s.", "requests", "rate_limit_exceeded");
      }
      case INSUFFICIENT_QUOTA -> HttpReplies.openAiError(exchange, 429,
          "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota",
          "insufficient_quota");
      case SERVER_ERROR -> HttpReplies.openAiError(exchange, 500,
          "The server had an error while processing your request. Sorry about that!", "server_error", null);
      case OVERLOADED -> HttpReplies.openAiError(exchange, 503,
          "The engine is currently overloaded, please try again later.", "server_error", null);
      case OVERLOADED_529 -> HttpReplies.openAiError(exchange, 529, "Overloaded", "overloaded_error", null);
      case MALFORMED -> {
        String full = "{\"id\":\"chatcmpl-sim" + String.format("%08d", seq)
            + "\",\"object\":\"chat.completion\",\"model\":\"" + model
            + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Simulated";
        HttpReplies.bytes(exchange, 200, full.getBytes(StandardCharsets.UTF_8));
      }
      case TIMEOUT -> {
        // hold without answering until the client has given up; closing the simulator releases the hold
        closing.await(config.timeoutHold().toMillis(), TimeUnit.MILLISECONDS);
        exchange.close();
      }
    }
  }

  private static String modelOf(String path, JsonNode body) {
    JsonNode model = body.get("model");
    if (model != null && model.isTextual() && !model.asText().isBlank()) {
      return model.asText();
    }
    Matcher azure = AZURE_PATH.matcher(path);
    return azure.matches() ? azure.group(1) : null;
  }

  private static String contentOf(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      List<String> texts = new ArrayList<>();
      for (JsonNode part : content) {
        if (part.has("text")) {
          texts.add(part.get("text").asText());
        }
      }
      return String.join("\n", texts);
    }
    return content.toString();
  }

  private boolean authorised(Headers headers) {
    String required = config.apiKey();
    if (required == null || required.isEmpty()) {
      return true;
    }
    String bearer = headers.getFirst("Authorization");
    return ("Bearer " + required).equals(bearer) || required.equals(headers.getFirst("api-key"));
  }
}
