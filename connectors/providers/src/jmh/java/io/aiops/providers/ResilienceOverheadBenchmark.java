package io.aiops.providers;

import io.aiops.core.TokenUsage;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the resilience layer costs per provider call: the same in-process adapter (no network, a fixed answer) called
 * directly, through {@link ResilientProviderCaller} with the default settings (retry, circuit breaker, bulkhead), and
 * with the request and token rate limiters switched on as well (limits far above what a run reaches).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
public class ResilienceOverheadBenchmark {

  private static final CompletionResponse ANSWER =
      new CompletionResponse("billing", "stop", new TokenUsage(120, 0, 0, 3, 0), "gpt-4o-mini", "id-1");

  private final ProviderAdapter adapter = new ProviderAdapter() {
    @Override
    public String format() {
      return "openai";
    }

    @Override
    public CompletionResponse complete(ProviderEndpoint endpoint, CompletionRequest request) {
      return ANSWER;
    }
  };

  private ProviderEndpoint endpoint;
  private CompletionRequest request;
  private ResilientProviderCaller defaults;
  private ResilientProviderCaller withRateLimiters;

  @Setup
  public void setUp() {
    endpoint = new ProviderEndpoint("bench", "openai", URI.create("http://localhost:1/v1"), null, Map.of());
    request = new CompletionRequest("gpt-4o-mini", "You triage tickets.", "Ticket: charged twice", 16,
        Duration.ofSeconds(10), null);
    defaults = new ResilientProviderCaller(ResilienceSettings.defaults(), Clock.systemUTC());
    withRateLimiters = new ResilientProviderCaller(ResilienceSettings.custom()
        .requestsPerMinute(1_000_000_000).tokensPerMinute(1_000_000_000).build(), Clock.systemUTC());
    // measure the answered path only: a refused call would be a different (cheaper) code path
    if (!defaults.call(endpoint, adapter, request).succeeded()
        || !withRateLimiters.call(endpoint, adapter, request).succeeded()) {
      throw new IllegalStateException("the benchmark setup must let calls through");
    }
  }

  @Benchmark
  public CompletionResponse directAdapterCall() {
    return adapter.complete(endpoint, request);
  }

  @Benchmark
  public ProviderCallResult resilientCallDefaults() {
    return defaults.call(endpoint, adapter, request);
  }

  @Benchmark
  public ProviderCallResult resilientCallWithRateLimiters() {
    return withRateLimiters.call(endpoint, adapter, request);
  }
}
