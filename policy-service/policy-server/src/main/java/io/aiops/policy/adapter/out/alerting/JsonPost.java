package io.aiops.policy.adapter.out.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiops.policy.application.port.out.AlertChannel.DeliveryFailed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/** Posts one JSON body and accepts any 2xx; everything else is a {@link DeliveryFailed} saying what came back. */
final class JsonPost {

  private static final int MAX_BODY_IN_ERROR = 300;

  private final HttpClient http;
  private final ObjectMapper json;
  private final Duration timeout;

  JsonPost(ObjectMapper json, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.json = json;
    this.timeout = timeout;
  }

  void post(URI target, Object body, Map<String, String> headers) {
    post(target, bytes(body), headers);
  }

  byte[] bytes(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write alert body", e);
    }
  }

  /** Posts {@code bytes} as they are (a signature over them stays valid). */
  void post(URI target, byte[] bytes, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(target)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new DeliveryFailed("no answer within " + timeout, e);
    } catch (IOException e) {
      throw new DeliveryFailed("cannot reach " + target.getHost() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryFailed("interrupted while posting", e);
    }
    if (response.statusCode() / 100 != 2) {
      String answer = response.body() == null ? "" : response.body().strip();
      throw new DeliveryFailed("HTTP " + response.statusCode()
          + (answer.isEmpty() ? "" : ": " + (answer.length() > MAX_BODY_IN_ERROR
              ? answer.substring(0, MAX_BODY_IN_ERROR) + "…" : answer)));
    }
  }
}
