package io.aiops.policy.bench;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.support.PolicyServerReplica;
import io.aiops.policy.support.TestPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Load harness (run by hand, not part of the build): decisions per second and latency percentiles against one hot
 * HARD budget, next to an authenticated no-op GET on the same server. Closed loop: N virtual-thread clients each send
 * a request, wait for the answer, and send the next, for a fixed time after a warm-up. See docs/benchmarks.md.
 *
 * <p>Arguments: {@code [clients=32] [seconds=20] [warmupSeconds=10] [budget=hot|none]}; {@code none} leaves the
 * budget out, to see what the hot window row costs.
 */
public final class DecisionLoadBenchmark {

  private static final String ADMIN_KEY = "bench-admin-" + UUID.randomUUID();
  private static final AtomicLong KEYS = new AtomicLong();

  private DecisionLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    boolean hotBudget = args.length <= 3 || !args[3].equals("none");
    try (PolicyServerReplica server =
        PolicyServerReplica.start("bench", TestPostgres.freshDatabaseUrl(), ADMIN_KEY, Clock.systemUTC())) {
      URI base = server.baseUri();
      PolicyClient admin = new PolicyClient(base, ADMIN_KEY);
      admin.putModel(new ModelPrice("acme", "bench-model", new BigDecimal("0.000001"), new BigDecimal("0.000002"),
          null, null, null, null));
      admin.putRoutingPolicy(new RoutingPolicy("bench-route", "bench", null,
          List.of(new RoutingPolicy.Target("acme", "bench-model", null))));
      // one HARD budget every decision reserves in: 0.002 per decision, room for 50 million of them
      admin.putBudget(new BudgetDefinition(hotBudget ? "bench-hot" : "bench-elsewhere",
          new BudgetScope(hotBudget ? "bench" : "another-project", null), BudgetPeriod.DAY,
          new BigDecimal("100000"), BudgetMode.HARD));
      String workerKey = admin.createApiKey(new ApiKeyRequest("bench", ApiRole.WORKER, List.of())).key();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

      LongFunction<HttpRequest> ping = n -> HttpRequest.newBuilder(base.resolve("/api/v1/ping"))
          .header("Authorization", "Bearer " + workerKey).GET().build();
      LongFunction<HttpRequest> decide = n -> {
        long key = KEYS.incrementAndGet();
        String body = "{\"idempotencyKey\":\"ei:" + key + ":1\",\"project\":\"bench\",\"bpmnProcessId\":\"flow\","
            + "\"processInstanceKey\":" + key + ",\"elementId\":\"classify\",\"elementInstanceKey\":" + key
            + ",\"taskKind\":\"classify\",\"estimatedInputTokens\":1000,\"maxOutputTokens\":500}";
        return HttpRequest.newBuilder(base.resolve("/api/v1/decisions"))
            .header("Authorization", "Bearer " + workerKey).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
      };

      System.out.printf("clients=%d, %d s measured after %d s warm-up, hot budget %s, cores=%d, load average %s%n",
          clients, seconds, warmup, hotBudget ? "on" : "off", Runtime.getRuntime().availableProcessors(),
          loadAverage());
      run(http, "warm-up ping", ping, clients, warmup / 2);
      run(http, "warm-up decide", decide, clients, warmup - warmup / 2);
      Result pings = run(http, "GET /api/v1/ping", ping, clients, seconds);
      Result decisions = run(http, "POST /api/v1/decisions", decide, clients, seconds);
      BudgetStatus hot = admin.getBudget(hotBudget ? "bench-hot" : "bench-elsewhere");
      System.out.printf("%n| endpoint | requests/s | p50 ms | p99 ms | errors |%n|---|---|---|---|---|%n%s%n%s%n",
          pings.row(), decisions.row());
      System.out.printf("decision p50 / ping p50 = %.2f; decisions/s / pings/s = %.2f; hot budget reserved %s USD;"
              + " load average at the end %s%n",
          decisions.p50() / pings.p50(), decisions.perSecond() / pings.perSecond(), hot.reservedUsd().toPlainString(),
          loadAverage());
    }
    System.exit(0);
  }

  /** The 1-, 5- and 15-minute load averages: the machine is shared, so every run says how busy it was. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return String.format("%.2f (1 min)", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private record Result(String name, double perSecond, double p50, double p99, long errors) {
    String row() {
      return String.format("| %s | %.0f | %.2f | %.2f | %d |", name, perSecond, p50, p99, errors);
    }
  }

  private static Result run(HttpClient http, String name, LongFunction<HttpRequest> requests, int clients, int seconds)
      throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    long[][] latencies = new long[clients][];
    AtomicLong errors = new AtomicLong();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        int client = c;
        pool.submit(() -> {
          long[] mine = new long[1 << 16];
          int n = 0;
          while (System.nanoTime() < end) {
            long start = System.nanoTime();
            try {
              HttpResponse<byte[]> response = http.send(requests.apply(n), HttpResponse.BodyHandlers.ofByteArray());
              if (response.statusCode() != 200) {
                errors.incrementAndGet();
              }
            } catch (Exception e) {
              errors.incrementAndGet();
            }
            if (n == mine.length) {
              mine = Arrays.copyOf(mine, n * 2);
            }
            mine[n++] = System.nanoTime() - start;
          }
          latencies[client] = Arrays.copyOf(mine, n);
          return null;
        });
      }
    }
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    Result result = new Result(name, all.length / (double) seconds, percentile(all, 0.50), percentile(all, 0.99),
        errors.get());
    System.out.println(result.row());
    return result;
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1_000_000.0;
  }
}
