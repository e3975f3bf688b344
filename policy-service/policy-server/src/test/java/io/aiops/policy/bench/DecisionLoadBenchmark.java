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
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.support.PolicyServerReplica;
import io.aiops.policy.support.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Load harness (run by hand, not part of the build): decisions per second and latency percentiles against one hot
 * HARD budget, next to an authenticated no-op GET on the same server. The server runs in this JVM; the load comes from
 * {@code wrk} (Debian package {@code wrk}) in its own process, a closed loop of N keep-alive connections, so the load
 * generator costs little of the two cores the server shares with it. See docs/benchmarks.md.
 *
 * <p>Arguments: {@code [connections=32] [seconds=20] [warmupSeconds=120] [budget=hot|none]}; {@code none} leaves the
 * budget out, to see what the hot window row costs. Each endpoint is measured twice at N connections and twice at one
 * connection, ping and decision runs alternating. With {@code -Dbench.serve=<file>} it only seeds the server, writes
 * "{@code <base URL> <worker key> <decide script>}" to that file and keeps serving for an hour (for profiling by hand).
 * With {@code -Dbench.durable} the server gets a PostgreSQL of its own that flushes every commit to disk.
 */
public final class DecisionLoadBenchmark {

    private static final String ADMIN_KEY = "bench-admin-" + UUID.randomUUID();

    private DecisionLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 120;
        boolean hotBudget = args.length <= 3 || !args[3].equals("none");
        boolean durable = System.getProperty("bench.durable") != null;
        String jdbcUrl = durable ? durablePostgres() : TestPostgres.freshDatabaseUrl();
        boolean storeless = System.getProperty("bench.storeless") != null;
        try (PolicyServerReplica server =
                PolicyServerReplica.start("bench", jdbcUrl, ADMIN_KEY, Clock.systemUTC(), ctx -> {
                    if (storeless) {
                        ctx.getBeanFactory().addBeanPostProcessor(new StorelessBooking());
                    }
                })) {
            URI base = server.baseUri();
            PolicyClient admin = new PolicyClient(base, ADMIN_KEY);
            admin.putModel(new ModelPrice(
                    "acme",
                    "bench-model",
                    new BigDecimal("0.000001"),
                    new BigDecimal("0.000002"),
                    null,
                    null,
                    null,
                    null));
            admin.putRoutingPolicy(new RoutingPolicy(
                    "bench-route", "bench", null, List.of(new RoutingPolicy.Target("acme", "bench-model", null))));
            // one HARD budget every decision reserves in: 0.002 per decision, room for 50 million of them
            admin.putBudget(new BudgetDefinition(
                    hotBudget ? "bench-hot" : "bench-elsewhere",
                    new BudgetScope(hotBudget ? "bench" : "another-project", null),
                    BudgetPeriod.DAY,
                    new BigDecimal("100000"),
                    BudgetMode.HARD));
            String workerKey = admin.createApiKey(new ApiKeyRequest("bench", ApiRole.WORKER, List.of()))
                    .key();
            Path script = Files.createTempFile("decide", ".lua");
            Files.writeString(script, DECIDE_SCRIPT.replace("WORKER_KEY", workerKey));
            if (System.getProperty("bench.serve") != null) {
                // for profiling by hand: keep the seeded server up and say how to reach it
                Files.writeString(
                        Path.of(System.getProperty("bench.serve")), base + " " + workerKey + " " + script + "\n");
                System.out.println("serving " + base + "; decide script " + script);
                Thread.sleep(java.time.Duration.ofHours(1));
            }
            Wrk ping = new Wrk(base + "/api/v1/ping", List.of("-H", "Authorization: Bearer " + workerKey));
            Wrk decide = new Wrk(base.toString(), List.of("-s", script.toString()));

            System.out.printf(
                    "connections=%d, %d s per run after %d s warm-up, hot budget %s,%s commits %s, cores=%d,"
                            + " load average %s%n",
                    connections,
                    seconds,
                    warmup,
                    hotBudget ? "on" : "off",
                    storeless
                            ? " BOOKING SKIPPED (decisions allowed without being stored: the endpoint's cost without its"
                                    + " database work),"
                            : "",
                    durable
                            ? "flushed (fsync on, synchronous_commit on)"
                            : "not flushed (fsync off, synchronous_commit off)",
                    Runtime.getRuntime().availableProcessors(),
                    loadAverage());
            // the JIT needs minutes of this traffic before the figures settle
            for (int round = 0; round < 4; round++) {
                ping.run(connections, warmup / 8);
                decide.run(connections, warmup / 8);
            }
            List<String> rows = new ArrayList<>();
            for (int c : List.of(connections, 1)) {
                for (int repeat = 0; repeat < 2; repeat++) {
                    Result pings = ping.run(c, seconds);
                    Result decisions = decide.run(c, seconds);
                    rows.add(pings.row("GET /api/v1/ping", c));
                    rows.add(decisions.row("POST /api/v1/decisions", c)
                            + String.format(
                                    " %.2f | %.2f |",
                                    decisions.p50Ms() / pings.p50Ms(), decisions.perSecond() / pings.perSecond()));
                    System.out.println(rows.get(rows.size() - 2));
                    System.out.println(rows.getLast());
                }
            }
            BudgetStatus hot = admin.getBudget(hotBudget ? "bench-hot" : "bench-elsewhere");
            System.out.printf(
                    "%n| endpoint | connections | requests/s | p50 ms | p99 ms | errors | decision p50 ÷ ping p50 |"
                            + " decisions/s ÷ pings/s |%n|---|---|---|---|---|---|---|---|%n%s%n",
                    String.join("\n", rows));
            System.out.printf(
                    "hot budget reserved %s USD; load average at the end %s%n",
                    hot.reservedUsd().toPlainString(), loadAverage());
        }
        System.exit(0);
    }

    /**
     * {@code -Dbench.storeless}: the decision store answers every booking ALLOWED without touching the database, so a run
     * shows what the decision endpoint costs besides storing and booking (HTTP, JSON, validation, routing, pricing).
     * Everything else the store does is passed through.
     */
    private static final class StorelessBooking implements BeanPostProcessor {

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof DecisionStore store)) {
                return bean;
            }
            return Proxy.newProxyInstance(
                    DecisionStore.class.getClassLoader(),
                    new Class<?>[] {DecisionStore.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("book")) {
                            List<?> batch = (List<?>) args[0];
                            return java.util.Collections.nCopies(
                                    batch.size(),
                                    new DecisionStore.BookingResult(
                                            DecisionStore.BookingOutcome.ALLOWED,
                                            null,
                                            List.of(),
                                            BigDecimal.ZERO,
                                            null));
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    /**
     * A PostgreSQL of its own whose commits wait for their WAL flush, as a production server's do (the shared test
     * instance runs with {@code fsync} and {@code synchronous_commit} off); says what it runs with.
     */
    private static String durablePostgres() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet settings = statement.executeQuery(
                        "SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
            settings.next();
            if (!settings.getString(1).equals("on") || !settings.getString(2).equals("on")) {
                throw new IllegalStateException("fsync " + settings.getString(1) + ", synchronous_commit "
                        + settings.getString(2) + ": the durable run needs both on");
            }
        }
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /**
     * A fresh idempotency key per request: each wrk thread numbers its requests, and the start time keeps the keys of
     * one run apart from those of the runs before it.
     */
    private static final String DECIDE_SCRIPT = """
      local counter = 0
      local run_id = tostring(os.time()) .. tostring(math.random(1000000))
      threads = 0
      function setup(thread)
        threads = threads + 1
        thread:set("thread_id", threads)
      end
      function init(args)
        math.randomseed(os.time() + thread_id)
        run_id = run_id .. "-" .. tostring(math.random(1000000))
      end
      function request()
        counter = counter + 1
        local n = thread_id * 100000000 + counter
        local body = '{"idempotencyKey":"ei:' .. run_id .. '-' .. thread_id .. '-' .. counter .. ':1",'
          .. '"project":"bench","bpmnProcessId":"flow","processInstanceKey":' .. n .. ',"elementId":"classify",'
          .. '"elementInstanceKey":' .. n .. ',"taskKind":"classify","estimatedInputTokens":1000,'
          .. '"maxOutputTokens":500}'
        return wrk.format("POST", "/api/v1/decisions",
          {["Authorization"] = "Bearer WORKER_KEY", ["Content-Type"] = "application/json"}, body)
      end
      """;

    /** One wrk target: a URL and its extra arguments (headers or a script). */
    private record Wrk(String url, List<String> extra) {

        Result run(int connections, int seconds) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    "wrk",
                    "-t",
                    Integer.toString(Math.min(2, connections)),
                    "-c",
                    Integer.toString(connections),
                    "-d",
                    seconds + "s",
                    "--latency"));
            command.addAll(extra);
            command.add(url);
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("wrk is needed on the PATH (Debian: apt-get install wrk)", e);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("wrk failed:\n" + output);
            }
            return Result.parse(output);
        }
    }

    private record Result(double perSecond, double p50Ms, double p99Ms, long errors) {

        private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
        private static final Pattern P50 = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)");
        private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");
        private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
        private static final Pattern SOCKET_ERRORS =
                Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

        static Result parse(String wrkOutput) {
            Matcher rate = RATE.matcher(wrkOutput);
            if (!rate.find()) {
                throw new IllegalStateException("no Requests/sec in wrk's output:\n" + wrkOutput);
            }
            long errors = 0;
            Matcher non2xx = NON_2XX.matcher(wrkOutput);
            if (non2xx.find()) {
                errors += Long.parseLong(non2xx.group(1));
            }
            Matcher socket = SOCKET_ERRORS.matcher(wrkOutput);
            if (socket.find()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Long.parseLong(socket.group(g));
                }
            }
            return new Result(
                    Double.parseDouble(rate.group(1)), millis(P50, wrkOutput), millis(P99, wrkOutput), errors);
        }

        private static double millis(Pattern pattern, String output) {
            Matcher m = pattern.matcher(output);
            if (!m.find()) {
                throw new IllegalStateException("no percentile " + pattern + " in wrk's output:\n" + output);
            }
            double value = Double.parseDouble(m.group(1));
            return switch (m.group(2)) {
                case "us" -> value / 1000;
                case "s" -> value * 1000;
                default -> value;
            };
        }

        String row(String endpoint, int connections) {
            return String.format(
                    "| %s | %d | %.0f | %.2f | %.2f | %d |", endpoint, connections, perSecond, p50Ms, p99Ms, errors);
        }
    }

    /** The 1-, 5- and 15-minute load averages: the machine is shared, so every run says how busy it was. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return String.format(
                    "%.2f (1 min)", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
