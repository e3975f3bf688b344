package io.aiops.policy.bench;

import io.aiops.policy.support.PolicyServerReplica;
import io.aiops.policy.support.TestPostgres;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dashboards at scale (run by hand, not part of the build): fills the ledger with N calls (default 10 million) spread
 * over the 90 days up to now, in 20 workflows × 4 elements × 4 models of 5 projects, one call in twenty failing over
 * to a second model, rolls them up with the service's own {@code ledger_rollup}, then signs in to the dashboards and
 * times page loads over HTTP. It also compares the workflow page's cost with a sum over the raw ledger, to the
 * micro-dollar, and times that raw sum for comparison. See docs/benchmarks.md.
 *
 * <p>Arguments: {@code [calls=10000000] [requestsPerPage=200]}. With {@code -Dbench.waitFor=<file>} the timing waits,
 * after the fill, until that file exists (so the fill can run while the machine is busy, the timing when it is not).
 */
public final class DashboardScaleBenchmark {

    private static final String ADMIN_KEY = "bench-admin-" + UUID.randomUUID();
    private static final int DAYS = 90;
    private static final int BATCH = 1_000_000;
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern WORKFLOW_COST = Pattern.compile("id=\"workflow-cost\">\\$([0-9,.]+)<");

    private DashboardScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        long calls = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String jdbcUrl = TestPostgres.freshDatabaseUrl();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (PolicyServerReplica server = PolicyServerReplica.start("bench", jdbcUrl, ADMIN_KEY, Clock.systemUTC());
                Connection db = DriverManager.getConnection(jdbcUrl)) {
            long started = System.nanoTime();
            fill(db, calls, now);
            double fillSeconds = (System.nanoTime() - started) / 1e9;
            try (Statement s = db.createStatement()) {
                s.execute("VACUUM ANALYZE");
            }
            System.out.printf(
                    "filled %,d calls over %d days in %.0f s (ledger + rollups); database %s%n",
                    calls, DAYS, fillSeconds, size(db));

            String waitFor = System.getProperty("bench.waitFor");
            if (waitFor != null) {
                // timings need a quiet machine: filling can overlap other work, timing waits for this file
                System.out.println("filled; timing starts when " + waitFor + " exists");
                while (!java.nio.file.Files.exists(java.nio.file.Path.of(waitFor))) {
                    java.util.concurrent.locks.LockSupport.parkNanos(
                            java.time.Duration.ofSeconds(5).toNanos());
                }
            }
            URI base = server.baseUri();
            HttpClient http = HttpClient.newBuilder()
                    .cookieHandler(new java.net.CookieManager())
                    .build();
            signIn(http, base);
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            String workflowPage = "/ui/workflows/workflow-3";
            List<String> pages = List.of(
                    workflowPage,
                    workflowPage + "?from=" + today.minusDays(89),
                    "/ui/",
                    "/ui/weekly-review",
                    "/ui/budgets",
                    workflowPage + "/quality");
            List<String> rows = new ArrayList<>();
            for (String page : pages) {
                // the quality page reads the raw score ledger: fewer rounds of it
                int n = page.endsWith("/quality") ? Math.max(10, requests / 10) : requests;
                for (int i = 0; i < Math.max(5, n / 10); i++) {
                    get(http, base, page); // warm-up: JIT, connection pool, PostgreSQL's buffers
                }
                long[] nanos = new long[n];
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    get(http, base, page);
                    nanos[i] = System.nanoTime() - t0;
                }
                Arrays.sort(nanos);
                String row = String.format(
                        "| `%s` | %d | %.1f | %.1f | %.1f |",
                        page, n, ms(nanos[n / 2]), ms(nanos[(int) Math.ceil(n * 0.95) - 1]), ms(nanos[n - 1]));
                rows.add(row);
                System.out.println(row);
            }

            // the page's figure against the raw ledger, and what reading the raw ledger would cost
            String html = get(http, base, workflowPage);
            Matcher m = WORKFLOW_COST.matcher(html);
            if (!m.find()) {
                throw new IllegalStateException("no workflow cost on the page");
            }
            BigDecimal shown = new BigDecimal(m.group(1).replace(",", ""));
            Instant from =
                    today.plusDays(1).minusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant to = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            long t0 = System.nanoTime();
            BigDecimal ledger;
            try (Statement s = db.createStatement();
                    ResultSet r = s.executeQuery("SELECT sum(a.cost_usd) FROM call_attempts a"
                            + " JOIN calls c ON c.id = a.call_id JOIN decisions d ON d.id = c.decision_id"
                            + " WHERE d.bpmn_process_id = 'workflow-3' AND c.created_at >= '" + from
                            + "' AND c.created_at < '" + to + "'")) {
                r.next();
                ledger = r.getBigDecimal(1);
            }
            double rawMs = ms(System.nanoTime() - t0);
            System.out.printf(
                    "%n| page | requests | p50 ms | p95 ms | max ms |%n|---|---|---|---|---|%n%s%n%n"
                            + "workflow-3, last 30 days: page $%s, raw ledger $%s (%s); the raw-ledger sum took %.0f ms%n",
                    String.join("\n", rows),
                    shown.toPlainString(),
                    ledger.toPlainString(),
                    shown.compareTo(ledger.setScale(6, RoundingMode.HALF_EVEN)) == 0
                            ? "equal to the micro-dollar"
                            : "DIFFERENT",
                    rawMs);
        }
    }

    /**
     * Inserts the calls in batches of a million: decisions, calls and attempts from {@code generate_series}, then the
     * batch's rollups with {@code ledger_rollup}, the function the service runs for each call.
     */
    private static void fill(Connection db, long calls, Instant now) throws Exception {
        Instant start = now.minus(DAYS, ChronoUnit.DAYS);
        double secondsPerCall = DAYS * 86_400.0 / calls;
        try (Statement s = db.createStatement()) {
            s.execute("SET synchronous_commit = off");
            for (long first = 1; first <= calls; first += BATCH) {
                long last = Math.min(calls, first + BATCH - 1);
                long t0 = System.nanoTime();
                String series = " FROM generate_series(" + first + ", " + last + ") i";
                String at = "timestamptz '" + start + "' + make_interval(secs => i * " + secondsPerCall + ")";
                s.execute(
                        "INSERT INTO decisions (id, idempotency_key, project, bpmn_process_id, process_definition_key,"
                                + " process_instance_key, element_id, element_instance_key, task_kind, estimated_input_tokens,"
                                + " max_output_tokens, allowed, created_at)"
                                + " SELECT md5('d' || i)::uuid, 'bench:' || i, 'project-' || (i / 3 % 5),"
                                + " 'workflow-' || (i / 3 % 20), 1, i / 3, 'element-' || (i % 3), i, 'extract', 800, 400, true, "
                                + at + series);
                // one call in twenty fails over: its first attempt fails on gpt-4o-mini, the second answers
                s.execute("INSERT INTO calls (id, decision_id, status, provider, model, input_tokens,"
                        + " cached_input_tokens, cache_write_input_tokens, output_tokens, reasoning_tokens, latency_ms,"
                        + " cost_usd, released_usd, created_at)"
                        + " SELECT md5('c' || i)::uuid, md5('d' || i)::uuid, 'SUCCEEDED', 'openai',"
                        + " (ARRAY['gpt-4o-mini','gpt-4o','gpt-4.1-mini','o4-mini'])[1 + i % 4],"
                        + " 600 + i % 500, 0, 0, 150 + i % 200, 0, 300 + i % 4000,"
                        + " (600 + i % 500) * 0.00000015 + (150 + i % 200) * 0.0000006, 0, " + at + series);
                s.execute("INSERT INTO call_attempts (call_id, attempt_no, provider, model, input_tokens,"
                        + " cached_input_tokens, cache_write_input_tokens, output_tokens, reasoning_tokens, latency_ms,"
                        + " status, error_class, cost_usd)"
                        + " SELECT md5('c' || i)::uuid, 1, 'openai', 'gpt-4o-mini', 0, 0, 0, 0, 0, 30, 'FAILED', 'HTTP_503', 0"
                        + series + " WHERE i % 20 = 0 AND i % 4 <> 0");
                s.execute("INSERT INTO call_attempts (call_id, attempt_no, provider, model, input_tokens,"
                        + " cached_input_tokens, cache_write_input_tokens, output_tokens, reasoning_tokens, latency_ms,"
                        + " status, cost_usd)"
                        + " SELECT md5('c' || i)::uuid, CASE WHEN i % 20 = 0 AND i % 4 <> 0 THEN 2 ELSE 1 END, 'openai',"
                        + " (ARRAY['gpt-4o-mini','gpt-4o','gpt-4.1-mini','o4-mini'])[1 + i % 4],"
                        + " 600 + i % 500, 0, 0, 150 + i % 200, 0, 300 + i % 4000, 'SUCCEEDED',"
                        + " (600 + i % 500) * 0.00000015 + (150 + i % 200) * 0.0000006" + series);
                try (ResultSet r = s.executeQuery("SELECT min(ledger_seq), max(ledger_seq) FROM calls"
                        + " WHERE id IN (md5('c' || " + first + ")::uuid, md5('c' || " + last + ")::uuid)")) {
                    r.next();
                    s.execute("SELECT ledger_rollup(" + r.getLong(1) + ", " + r.getLong(2) + ")");
                }
                System.out.printf("  calls %,d..%,d in %.0f s%n", first, last, (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private static String size(Connection db) throws Exception {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_size_pretty(pg_database_size(current_database())),"
                        + " (SELECT count(*) FROM ledger_hourly), (SELECT count(*) FROM instance_spend)")) {
            r.next();
            return r.getString(1) + ", " + r.getLong(2) + " hourly rollup rows, " + r.getLong(3) + " instances";
        }
    }

    private static void signIn(HttpClient http, URI base) throws Exception {
        String form = get(http, base, "/ui/login");
        Matcher csrf = CSRF.matcher(form);
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF token on the sign-in page");
        }
        HttpResponse<String> signedIn = http.send(
                HttpRequest.newBuilder(base.resolve("/ui/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("apiKey="
                                + URLEncoder.encode(ADMIN_KEY, StandardCharsets.UTF_8) + "&_csrf="
                                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (signedIn.statusCode() != 302
                || signedIn.headers().firstValue("Location").orElse("").contains("error")) {
            throw new IllegalStateException("sign-in failed: " + signedIn.statusCode() + " " + signedIn.headers());
        }
    }

    private static String get(HttpClient http, URI base, String path) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
