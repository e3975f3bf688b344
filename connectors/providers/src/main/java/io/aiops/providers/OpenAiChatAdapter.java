package io.aiops.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Speaks the OpenAI Chat Completions format ({@code POST {baseUrl}/chat/completions}), which OpenAI and many
 * compatible servers (Ollama, vLLM, Mistral, Groq, Together) serve, and Azure OpenAI's variant of it.
 *
 * <p>Format {@value #FORMAT}: the endpoint's base URL includes the version path (e.g. {@code https://api.openai.com/v1});
 * the key, when present, is sent as a bearer token. Format {@value #AZURE_FORMAT}: the base URL is the resource
 * ({@code https://my-resource.openai.azure.com}); the request goes to
 * {@code /openai/deployments/{deployment}/chat/completions?api-version=..}, the deployment taken from option
 * {@value #OPTION_DEPLOYMENT} or else the model name, the key sent in the {@code api-key} header.
 *
 * <p>Endpoint options: {@value #OPTION_API_VERSION} (Azure, default {@value #DEFAULT_AZURE_API_VERSION}),
 * {@value #OPTION_MAX_TOKENS_FIELD} ({@code max_tokens} by default; OpenAI's reasoning models need
 * {@code max_completion_tokens}), {@value #OPTION_SCHEMA_STRICT} ({@code true} by default), and any
 * {@value #OPTION_HEADER_PREFIX}{@code Name} option is sent as header {@code Name}.
 *
 * <p>Usage is taken exactly: {@code prompt_tokens} (which includes {@code cached_tokens}) and
 * {@code completion_tokens} (which includes {@code reasoning_tokens}); missing details count as 0, a response
 * without usage is {@link ErrorClass#MALFORMED_RESPONSE} because its cost could not be accounted.
 */
public final class OpenAiChatAdapter implements ProviderAdapter {

  public static final String FORMAT = "openai";
  public static final String AZURE_FORMAT = "azure-openai";
  public static final String OPTION_DEPLOYMENT = "deployment";
  public static final String OPTION_API_VERSION = "api-version";
  public static final String OPTION_MAX_TOKENS_FIELD = "max-tokens-field";
  public static final String OPTION_SCHEMA_STRICT = "json-schema-strict";
  public static final String OPTION_HEADER_PREFIX = "header.";
  public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERROR_TEXT = 300;
  // one client for all adapters: it pools connections and threads, so sharing it is the cheap and intended use
  private static final HttpClient SHARED_CLIENT = HttpClient.newBuilder()
      .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  private final String format;
  private final HttpClient client;
  private final Clock clock;

  /** An adapter for format {@code format} ({@value #FORMAT} or {@value #AZURE_FORMAT}) on its own client and clock. */
  public OpenAiChatAdapter(String format, HttpClient client, Clock clock) {
    if (!FORMAT.equals(format) && !AZURE_FORMAT.equals(format)) {
      throw new IllegalArgumentException("format must be " + FORMAT + " or " + AZURE_FORMAT + ", got " + format);
    }
    this.format = format;
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** OpenAI and OpenAI-compatible servers, on the shared HTTP client. */
  public static OpenAiChatAdapter openAi() {
    return new OpenAiChatAdapter(FORMAT, SHARED_CLIENT, Clock.systemUTC());
  }

  /** Azure OpenAI, on the shared HTTP client. */
  public static OpenAiChatAdapter azure() {
    return new OpenAiChatAdapter(AZURE_FORMAT, SHARED_CLIENT, Clock.systemUTC());
  }

  @Override
  public String format() {
    return format;
  }

  @Override
  public CompletionResponse complete(ProviderEndpoint endpoint, CompletionRequest request) {
    HttpRequest httpRequest = buildRequest(endpoint, request);
    HttpResponse<String> response;
    try {
      response = client.send(httpRequest, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new ProviderCallException(ErrorClass.CONNECTION, 0,
          where(endpoint) + ": connect timed out", null, e);
    } catch (HttpTimeoutException e) {
      throw new ProviderCallException(ErrorClass.TIMEOUT, 0,
          where(endpoint) + ": no response within " + request.timeout(), null, e);
    } catch (IOException e) {
      throw new ProviderCallException(ErrorClass.CONNECTION, 0,
          where(endpoint) + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderCallException(ErrorClass.UNKNOWN, 0, where(endpoint) + ": interrupted", null, e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return parseResponse(response.body());
    }
    throw classifyError(status, response.headers(), response.body(), clock);
  }

  HttpRequest buildRequest(ProviderEndpoint endpoint, CompletionRequest request) {
    URI uri = uriFor(endpoint, request);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(requestBody(endpoint, request), StandardCharsets.UTF_8));
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      // no h2c upgrade dance on plain HTTP: local servers (Ollama, vLLM, the simulator) speak HTTP/1.1
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    if (request.timeout() != null && request.timeout().isPositive()) {
      builder.timeout(request.timeout());
    }
    String key = endpoint.apiKey();
    if (key != null && !key.isBlank()) {
      if (AZURE_FORMAT.equals(format)) {
        builder.header("api-key", key);
      } else {
        builder.header("Authorization", "Bearer " + key);
      }
    }
    for (Map.Entry<String, String> option : endpoint.options().entrySet()) {
      if (option.getKey().startsWith(OPTION_HEADER_PREFIX)) {
        builder.header(option.getKey().substring(OPTION_HEADER_PREFIX.length()), option.getValue());
      }
    }
    return builder.build();
  }

  private URI uriFor(ProviderEndpoint endpoint, CompletionRequest request) {
    String base = endpoint.baseUrl().toString().replaceAll("/+$", "");
    if (AZURE_FORMAT.equals(format)) {
      String deployment = endpoint.options().getOrDefault(OPTION_DEPLOYMENT, request.model());
      String version = endpoint.options().getOrDefault(OPTION_API_VERSION, DEFAULT_AZURE_API_VERSION);
      return URI.create(base + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8)
          + "/chat/completions?api-version=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
    }
    return URI.create(base + "/chat/completions");
  }

  private static String requestBody(ProviderEndpoint endpoint, CompletionRequest request) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", request.model());
    ArrayNode messages = body.putArray("messages");
    if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
      messages.addObject().put("role", "system").put("content", request.systemPrompt());
    }
    messages.addObject().put("role", "user").put("content", request.userPrompt() == null ? "" : request.userPrompt());
    if (request.maxOutputTokens() > 0) {
      body.put(endpoint.options().getOrDefault(OPTION_MAX_TOKENS_FIELD, "max_tokens"), request.maxOutputTokens());
    }
    if (request.jsonSchema() != null && !request.jsonSchema().isBlank()) {
      JsonNode schema;
      try {
        schema = JSON.readTree(request.jsonSchema());
      } catch (JsonProcessingException e) {
        throw new ProviderCallException(ErrorClass.BAD_REQUEST, 0,
            "jsonSchema is not valid JSON: " + e.getOriginalMessage(), null, e);
      }
      if (schema == null || !schema.isObject()) {
        throw new ProviderCallException(ErrorClass.BAD_REQUEST, 0, "jsonSchema must be a JSON object");
      }
      ObjectNode format = body.putObject("response_format");
      format.put("type", "json_schema");
      ObjectNode jsonSchema = format.putObject("json_schema");
      jsonSchema.put("name", schema.path("title").asText("result").replaceAll("[^A-Za-z0-9_-]", "_"));
      jsonSchema.set("schema", schema);
      jsonSchema.put("strict", Boolean.parseBoolean(endpoint.options().getOrDefault(OPTION_SCHEMA_STRICT, "true")));
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain JSON nodes always serialises", e);
    }
  }

  /** Reads a 2xx Chat Completions body; anything that does not carry an answer and its usage is malformed. */
  static CompletionResponse parseResponse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw malformed("body is not JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw malformed("body is not a JSON object", null);
    }
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      throw malformed("response has no choices", null);
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.get("message");
    if (message == null || !message.isObject()) {
      throw malformed("first choice has no message", null);
    }
    String finishReason = textOrNull(choice.get("finish_reason"));
    String text = contentText(message.get("content"));
    if (text == null) {
      String refusal = textOrNull(message.get("refusal"));
      if (refusal == null) {
        throw malformed("message has neither content nor refusal", null);
      }
      // the model declined: its refusal is the answer the workflow gets to see
      text = refusal;
      finishReason = "refusal";
    }
    TokenUsage usage = parseUsage(root.get("usage"));
    return new CompletionResponse(text, finishReason, usage, textOrNull(root.get("model")), textOrNull(root.get("id")));
  }

  static TokenUsage parseUsage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      throw malformed("response carries no usage, so its cost cannot be accounted", null);
    }
    long prompt = count(usage.get("prompt_tokens"), "prompt_tokens", true);
    long completion = count(usage.get("completion_tokens"), "completion_tokens", true);
    long cached = count(usage.path("prompt_tokens_details").get("cached_tokens"), "cached_tokens", false);
    long reasoning = count(usage.path("completion_tokens_details").get("reasoning_tokens"), "reasoning_tokens",
        false);
    try {
      return new TokenUsage(prompt, cached, 0, completion, reasoning);
    } catch (IllegalArgumentException e) {
      throw malformed("inconsistent usage: " + e.getMessage(), e);
    }
  }

  private static long count(JsonNode node, String field, boolean required) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      if (required) {
        throw malformed("usage." + field + " is missing", null);
      }
      return 0;
    }
    if (!node.isIntegralNumber() || node.asLong() < 0) {
      throw malformed("usage." + field + " is not a token count: " + node, null);
    }
    return node.asLong();
  }

  private static String contentText(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if (part.has("text")) {
          text.append(part.get("text").asText());
        }
      }
      return text.toString();
    }
    return null;
  }

  /** Turns a non-2xx response into its classified exception. */
  static ProviderCallException classifyError(int status, HttpHeaders headers, String body, Clock clock) {
    String type = null;
    String code = null;
    String message = null;
    try {
      JsonNode error = JSON.readTree(body == null ? "" : body);
      JsonNode e = error == null ? null : error.has("error") ? error.get("error") : error;
      if (e != null && e.isObject()) {
        type = textOrNull(e.get("type"));
        code = textOrNull(e.get("code"));
        message = textOrNull(e.get("message"));
      } else if (e != null && e.isTextual()) {
        message = e.asText();
      }
    } catch (JsonProcessingException notJson) {
      // proxies and gateways answer with HTML or plain text; the status decides
    }
    if (message == null) {
      message = body == null || body.isBlank() ? "(empty body)" : body.strip();
    }
    if (message.length() > MAX_ERROR_TEXT) {
      message = message.substring(0, MAX_ERROR_TEXT) + "...";
    }
    ErrorClass errorClass = classify(status, type, code);
    Duration retryAfter = RetryAfterHeaders.fromHeaders(headers, clock);
    String detail = "HTTP " + status + (code != null ? " " + code : type != null ? " " + type : "") + ": " + message;
    return new ProviderCallException(errorClass, status, detail, retryAfter, null);
  }

  static ErrorClass classify(int status, String type, String code) {
    String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
    String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
    return switch (status) {
      case 400, 422 -> ErrorClass.BAD_REQUEST;
      case 401 -> ErrorClass.AUTHENTICATION;
      case 403 -> ErrorClass.PERMISSION;
      case 404 -> ErrorClass.NOT_FOUND;
      case 408, 504 -> ErrorClass.TIMEOUT;
      case 413 -> ErrorClass.REQUEST_TOO_LARGE;
      case 429 -> c.equals("insufficient_quota") || t.equals("insufficient_quota")
          ? ErrorClass.QUOTA_EXCEEDED : ErrorClass.RATE_LIMITED;
      case 500, 502 -> ErrorClass.SERVER_ERROR;
      case 503, 529 -> ErrorClass.OVERLOADED;
      default -> status >= 500 ? ErrorClass.SERVER_ERROR : ErrorClass.UNKNOWN;
    };
  }

  private static ProviderCallException malformed(String why, Throwable cause) {
    return new ProviderCallException(ErrorClass.MALFORMED_RESPONSE, 200, "malformed response: " + why, null, cause);
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
  }

  private static String where(ProviderEndpoint endpoint) {
    return endpoint.name() + " (" + endpoint.baseUrl() + ")";
  }
}
