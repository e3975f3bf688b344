package io.aiops.policy.bench;

import io.aiops.policy.adapter.out.persistence.QualityReads;
import io.aiops.policy.domain.SpendDimension;
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
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Dashboards at scale (run by hand, not part of the build): fills the ledger with N calls (default 10 million) spread
 * over the 90 days up to now, in 20 workflows × 3 elements × 4 models of 5 projects, one call in twenty failing over
 * to a second model, with the worker's two checks per answer, a reviewer's verdict on one call in ten and a judge's
 * grade on one in twenty, rolls them up with the service's own {@code ledger_rollup} and {@code quality_rollup}, then
 * signs in to the dashboards and times page loads over HTTP. It also compares the workflow page's cost with a sum over
 * the raw ledger, to the micro-dollar, and times that raw sum; compares and times the quality page's reads from the
 * raw ledger and from the rollups; and times outcome and feedback writes with and without the rollups' upkeep. See
 * docs/benchmarks.md.
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
                int n = requests;
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

            quality(jdbcUrl, today, Math.max(3, requests / 40), requests);
            int writes = Math.max(200, requests * 5);
            writeCost(db, writes, now, "ledger_rollup", true);
            // the spend rollup's upkeep as V80 shipped it: its SQL function, no index on calls.ledger_seq
            try (Statement s = db.createStatement()) {
                s.execute(v80LedgerRollup());
                s.execute("DROP INDEX calls_ledger_seq_idx");
            }
            writeCost(db, Math.max(50, writes / 10), now, "v80_ledger_rollup", false);
            try (Statement s = db.createStatement()) {
                s.execute("CREATE UNIQUE INDEX calls_ledger_seq_idx ON calls (ledger_seq)");
            }
        }
    }

    /**
     * The quality page's reads (7 days by workflow and model): from the raw ledger call by call, as the page read them
     * before the quality rollups, and as served now; timed in this JVM over JDBC, and compared group by group.
     */
    private static void quality(String jdbcUrl, LocalDate today, int rawRounds, int rollupRounds) throws Exception {
        Instant to = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant from = to.minus(java.time.Duration.ofDays(7));
        List<SpendDimension> groupBy = List.of(SpendDimension.WORKFLOW, SpendDimension.MODEL);
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            DSLContext dsl = DSL.using(c, SQLDialect.POSTGRES);
            QualityReads.Report served = QualityReads.asServed(dsl, from, to, groupBy);
            QualityReads.Report raw = QualityReads.fromLedger(dsl, from, to, groupBy);
            long[] rawNanos = new long[rawRounds];
            for (int i = 0; i < rawRounds; i++) {
                long t0 = System.nanoTime();
                QualityReads.fromLedger(dsl, from, to, groupBy);
                rawNanos[i] = System.nanoTime() - t0;
            }
            long[] servedNanos = new long[rollupRounds];
            for (int i = 0; i < rollupRounds; i++) {
                long t0 = System.nanoTime();
                QualityReads.asServed(dsl, from, to, groupBy);
                servedNanos[i] = System.nanoTime() - t0;
            }
            System.out.printf(
                    "%nquality reads, 7 days by workflow and model (%d groups, %d score groups): %s%n"
                            + "| read | rounds | p50 ms | p95 ms | max ms |%n|---|---|---|---|---|%n%s%n%s%n",
                    served.calls().size(),
                    served.scores().size(),
                    served.equals(raw) ? "rollups equal the raw ledger, every group" : "DIFFERENT from the raw ledger",
                    timing("raw ledger (before)", rawNanos),
                    timing("rollups (now)", servedNanos));
        }
    }

    private static String timing(String name, long[] nanos) {
        Arrays.sort(nanos);
        int n = nanos.length;
        return String.format(
                "| %s | %d | %.1f | %.1f | %.1f |",
                name, n, ms(nanos[n / 2]), ms(nanos[(int) Math.ceil(n * 0.95) - 1]), ms(nanos[n - 1]));
    }

    /**
     * What keeping the rollups costs a write: {@code n} outcomes (decision, call, two attempts, two rule scores; one
     * transaction each, as the service writes them) with no rollup upkeep, with the spend rollup ({@code
     * ledgerRollup}) and, with {@code quality}, with both rollups ({@code quality_rollup} too), then {@code n}
     * feedbacks (feedback and a verdict) without and with {@code quality_rollup}; in alternating blocks of 50 so the
     * machine's drift hits all alike. Into the filled database's current hour, workflow-3 (rows that exist: upserts
     * update).
     */
    /** V80's {@code ledger_rollup} as it shipped (LANGUAGE sql), as {@code v80_ledger_rollup}. */
    private static String v80LedgerRollup() throws Exception {
        String v80;
        try (var in = DashboardScaleBenchmark.class.getResourceAsStream("/db/migration/V80__ledger_rollups.sql")) {
            v80 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int start = v80.indexOf("CREATE FUNCTION ledger_rollup(");
        int end = v80.indexOf("$$;", start) + 3;
        return v80.substring(start, end).replace("FUNCTION ledger_rollup(", "FUNCTION v80_ledger_rollup(");
    }

    private static void writeCost(Connection db, int n, Instant now, String ledgerRollup, boolean quality)
            throws Exception {
        String outcome = "WITH d AS (INSERT INTO decisions (id, idempotency_key, project, bpmn_process_id,"
                + " process_definition_key, process_instance_key, element_id, element_instance_key, task_kind,"
                + " estimated_input_tokens, max_output_tokens, allowed, created_at)"
                + " VALUES (gen_random_uuid(), 'write:' || gen_random_uuid(), 'project-1', 'workflow-3', 1, ?, 'element-1',"
                + " ?, 'extract', 800, 400, true, ?) RETURNING id),"
                + " c AS (INSERT INTO calls (id, decision_id, status, provider, model, input_tokens, cached_input_tokens,"
                + " cache_write_input_tokens, output_tokens, reasoning_tokens, latency_ms, cost_usd, released_usd,"
                + " created_at, prompt_name, prompt_version)"
                + " SELECT gen_random_uuid(), d.id, 'SUCCEEDED', 'openai', 'gpt-4o', 700, 0, 0, 200, 0, 900, 0.000225, 0,"
                + " ?, 'bench-prompt', 1 FROM d RETURNING id, ledger_seq),"
                + " a AS (INSERT INTO call_attempts (call_id, attempt_no, provider, model, input_tokens,"
                + " cached_input_tokens, cache_write_input_tokens, output_tokens, reasoning_tokens, latency_ms, status,"
                + " error_class, cost_usd)"
                + " SELECT c.id, v.no, 'openai', v.model, 700, 0, 0, 200, 0, 450, v.status, v.error, 0.0001125"
                + " FROM c CROSS JOIN (VALUES (1, 'gpt-4o-mini', 'FAILED', 'QUALITY_GATE'),"
                + " (2, 'gpt-4o', 'SUCCEEDED', NULL)) v(no, model, status, error)),"
                + " s AS (INSERT INTO call_scores (call_id, attempt_no, name, score_type, value, source, scorer_version,"
                + " created_at) SELECT c.id, v.no, 'schema_valid', 'BOOLEAN', v.value, 'RULE', '2', ? FROM c"
                + " CROSS JOIN (VALUES (1, 0), (2, 1)) v(no, value))"
                + " SELECT id, ledger_seq FROM c";
        String feedback = "WITH f AS (INSERT INTO call_feedback (id, call_id, idempotency_key, created_at)"
                + " VALUES (gen_random_uuid(), ?, ?, ?) RETURNING id, call_id)"
                + " INSERT INTO call_scores (call_id, name, score_type, value, source, feedback_id, created_at)"
                + " SELECT call_id, 'reviewer_accepted', 'BOOLEAN', ?, 'HUMAN', id, ? FROM f RETURNING feedback_id";
        String[] outcomeKinds = {
            "outcome, no rollup upkeep", "outcome + " + ledgerRollup, "outcome + " + ledgerRollup + " + quality_rollup"
        };
        int kinds = quality ? 3 : 2;
        String[] feedbackKinds = {"feedback, no rollup upkeep", "feedback + quality_rollup"};
        long[][] outcomeNanos = new long[3][n];
        long[][] feedbackNanos = new long[2][n];
        List<long[]> calls = new ArrayList<>();
        java.sql.Timestamp at = java.sql.Timestamp.from(now);
        db.setAutoCommit(false);
        try (java.sql.PreparedStatement write = db.prepareStatement(outcome);
                java.sql.PreparedStatement spendRollup = db.prepareStatement("SELECT " + ledgerRollup + "(?, ?)");
                java.sql.PreparedStatement qualityRollup = db.prepareStatement("SELECT quality_rollup(?, ?, ?)");
                java.sql.PreparedStatement verdict = db.prepareStatement(feedback)) {
            int block = Math.min(50, n);
            for (int done = 0; done < n; done += block) {
                for (int kind = 0; kind < kinds; kind++) {
                    for (int i = done; i < Math.min(n, done + block); i++) {
                        long t0 = System.nanoTime();
                        write.setLong(1, 900_000_000L + i);
                        write.setLong(2, 900_000_000L + i);
                        write.setTimestamp(3, at);
                        write.setTimestamp(4, at);
                        write.setTimestamp(5, at);
                        long seq;
                        UUID id;
                        try (ResultSet r = write.executeQuery()) {
                            r.next();
                            id = r.getObject(1, UUID.class);
                            seq = r.getLong(2);
                        }
                        if (kind >= 1) {
                            spendRollup.setLong(1, seq);
                            spendRollup.setLong(2, seq);
                            spendRollup.execute();
                        }
                        if (kind == 2) {
                            qualityRollup.setLong(1, seq);
                            qualityRollup.setLong(2, seq);
                            qualityRollup.setObject(3, null, java.sql.Types.OTHER);
                            qualityRollup.execute();
                            calls.add(new long[] {seq, id.getMostSignificantBits(), id.getLeastSignificantBits()});
                        }
                        db.commit();
                        outcomeNanos[kind][i] = System.nanoTime() - t0;
                    }
                }
            }
            // feedback on the calls that were rolled up, half of them without keeping the quality rollup
            for (int done = 0; quality && done < n; done += block) {
                for (int kind = 0; kind < 2; kind++) {
                    for (int i = done; i < Math.min(n, done + block); i++) {
                        long[] call = calls.get(i);
                        long t0 = System.nanoTime();
                        verdict.setObject(1, new UUID(call[1], call[2]));
                        verdict.setString(2, "review-" + kind);
                        verdict.setTimestamp(3, at);
                        verdict.setInt(4, i % 5 == 0 ? 0 : 1);
                        verdict.setTimestamp(5, at);
                        UUID feedbackId;
                        try (ResultSet r = verdict.executeQuery()) {
                            r.next();
                            feedbackId = r.getObject(1, UUID.class);
                        }
                        if (kind == 1) {
                            qualityRollup.setLong(1, call[0]);
                            qualityRollup.setLong(2, call[0]);
                            qualityRollup.setObject(3, feedbackId);
                            qualityRollup.execute();
                        }
                        db.commit();
                        feedbackNanos[kind][i] = System.nanoTime() - t0;
                    }
                }
            }
        } finally {
            db.setAutoCommit(true);
        }
        StringBuilder rows = new StringBuilder();
        for (int kind = 0; kind < kinds; kind++) {
            rows.append(timing(outcomeKinds[kind], outcomeNanos[kind])).append('\n');
        }
        for (int kind = 0; quality && kind < 2; kind++) {
            rows.append(timing(feedbackKinds[kind], feedbackNanos[kind])).append('\n');
        }
        System.out.printf(
                "%nwrites, one transaction each (synchronous_commit off), %d of each kind:%n"
                        + "| write | writes | p50 ms | p95 ms | max ms |%n|---|---|---|---|---|%n%s",
                n, rows);
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
            s.execute(
                    "INSERT INTO prompt_versions (name, version, project, template, created_at) VALUES"
                            + " ('bench-prompt', 1, NULL, 'Extract {{x}}', now()), ('bench-prompt', 2, NULL, 'Extract {{x}}!', now())");
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
                        + " cost_usd, released_usd, created_at, prompt_name, prompt_version)"
                        + " SELECT md5('c' || i)::uuid, md5('d' || i)::uuid, 'SUCCEEDED', 'openai',"
                        + " (ARRAY['gpt-4o-mini','gpt-4o','gpt-4.1-mini','o4-mini'])[1 + i % 4],"
                        + " 600 + i % 500, 0, 0, 150 + i % 200, 0, 300 + i % 4000,"
                        + " (600 + i % 500) * 0.00000015 + (150 + i % 200) * 0.0000006, 0, " + at + ","
                        // element-1 and element-2 build their prompts from versions 1 and 2 of a registered prompt
                        + " CASE WHEN i % 3 = 0 THEN NULL ELSE 'bench-prompt' END,"
                        + " CASE WHEN i % 3 = 0 THEN NULL ELSE i % 3 END" + series);
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
                String answered = "CASE WHEN i % 20 = 0 AND i % 4 <> 0 THEN 2 ELSE 1 END";
                // the worker's checks of the answer: not_empty passes, schema_valid fails one answer in 17
                s.execute("INSERT INTO call_scores (call_id, attempt_no, name, score_type, value, source,"
                        + " scorer_version, created_at)"
                        + " SELECT md5('c' || i)::uuid, " + answered + ", n.name, 'BOOLEAN',"
                        + " CASE WHEN n.name = 'schema_valid' AND i % 17 = 0 THEN 0 ELSE 1 END, 'RULE', '2', " + at
                        + series + " CROSS JOIN (VALUES ('not_empty'), ('schema_valid')) n(name)");
                // an hour later: a reviewer's verdict on one call in ten (one in five of those rejected), a
                // judge's grade on one in twenty
                s.execute("INSERT INTO call_feedback (id, call_id, idempotency_key, created_at)"
                        + " SELECT md5('f' || i)::uuid, md5('c' || i)::uuid, 'review', " + at + " + interval '1 hour'"
                        + series + " WHERE i % 10 = 0");
                s.execute("INSERT INTO call_scores (call_id, name, score_type, value, source, feedback_id, created_at)"
                        + " SELECT md5('c' || i)::uuid, 'reviewer_accepted', 'BOOLEAN',"
                        + " CASE WHEN i % 50 = 0 THEN 0 ELSE 1 END, 'HUMAN', md5('f' || i)::uuid, " + at
                        + " + interval '1 hour'" + series + " WHERE i % 10 = 0");
                s.execute("INSERT INTO call_feedback (id, call_id, idempotency_key, created_at)"
                        + " SELECT md5('j' || i)::uuid, md5('c' || i)::uuid, 'judge', " + at + " + interval '1 minute'"
                        + series + " WHERE i % 20 = 5");
                s.execute("INSERT INTO call_scores (call_id, name, score_type, value, source, scorer_version,"
                        + " feedback_id, created_at)"
                        + " SELECT md5('c' || i)::uuid, 'judge_score', 'NUMERIC', (i % 101) / 100.0, 'JUDGE', 'gpt-4o',"
                        + " md5('j' || i)::uuid, " + at + " + interval '1 minute'" + series + " WHERE i % 20 = 5");
                try (ResultSet r = s.executeQuery("SELECT min(ledger_seq), max(ledger_seq) FROM calls"
                        + " WHERE id IN (md5('c' || " + first + ")::uuid, md5('c' || " + last + ")::uuid)")) {
                    r.next();
                    long firstSeq = r.getLong(1);
                    long lastSeq = r.getLong(2);
                    s.execute("SELECT ledger_rollup(" + firstSeq + ", " + lastSeq + ")");
                    s.execute("SELECT quality_rollup(" + firstSeq + ", " + lastSeq + ", NULL)");
                }
                System.out.printf("  calls %,d..%,d in %.0f s%n", first, last, (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private static String size(Connection db) throws Exception {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_size_pretty(pg_database_size(current_database())),"
                        + " (SELECT count(*) FROM ledger_hourly), (SELECT count(*) FROM instance_spend),"
                        + " (SELECT count(*) FROM quality_calls_hourly), (SELECT count(*) FROM quality_hourly),"
                        + " (SELECT count(*) FROM call_scores)")) {
            r.next();
            return r.getString(1) + ", " + r.getLong(2) + " hourly rollup rows, " + r.getLong(3) + " instances, "
                    + r.getLong(6) + " scores; quality rollups " + r.getLong(4) + " call rows, " + r.getLong(5)
                    + " score rows";
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
