package io.aiops.worker;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the worker ({@code aiops.*}): the policy service, the provider endpoints by the names the policy
 * service routes to, and the optional plain job worker. Provider API keys may be written as
 * {@code {{secrets.NAME}}} and are then resolved through the connector runtime's secret providers.
 */
@Validated
@ConfigurationProperties("aiops")
public record AiOpsProperties(
    @Valid @NotNull Policy policy, Map<String, @Valid Provider> providers, @Valid @DefaultValue JobWorker jobWorker) {

  public AiOpsProperties {
    providers = providers == null ? Map.of() : Map.copyOf(providers);
  }

  /** Where the policy service is and the WORKER-role key to call it with. */
  public record Policy(@NotNull URI url, @NotBlank String apiKey, @DefaultValue("10s") Duration requestTimeout) {

    @Override
    public String toString() {
      return "Policy[url=" + url + ", apiKey=****, requestTimeout=" + requestTimeout + "]";
    }
  }

  /** One provider endpoint: wire format (default {@code openai}), base URL and credential. */
  public record Provider(@DefaultValue("openai") String format, @NotNull URI baseUrl, String apiKey) {

    @Override
    public String toString() {
      return "Provider[format=" + format + ", baseUrl=" + baseUrl + ", apiKey=****]";
    }
  }

  /**
   * The plain job worker host: off by default; {@code type} is the job type it subscribes to, {@code retryBackoff} the
   * wait before a failed job is retried when the provider gave no Retry-After.
   */
  public record JobWorker(
      @DefaultValue("false") boolean enabled,
      @DefaultValue(AiTaskJobWorker.DEFAULT_TYPE) String type,
      @DefaultValue("10s") Duration retryBackoff) {}
}
