package io.aiops.policy.adapter.out.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.application.port.out.AuditLog.NewAuditEntry;
import io.aiops.policy.domain.audit.AuditKind;
import io.aiops.policy.domain.audit.ChainVerifier;
import io.aiops.policy.support.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Load harness for docs/benchmarks.md: audit appends per second with chaining, on a fresh embedded PostgreSQL, with
 * writer threads spread over 8 projects and all on 1 project. One append = one transaction with one entry of the
 * size of a one-attempt call outcome, as the outcome path writes it. Run on demand (see docs/benchmarks.md).
 */
public final class AuditAppendLoad {

    private AuditAppendLoad() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Duration warmUp = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
        Duration measure = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 20);
        String url = TestPostgres.freshDatabaseUrl();
        Flyway.configure()
                .dataSource(url, "postgres", null)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(threads);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            DSLContext db = DSL.using(dataSource, SQLDialect.POSTGRES);
            System.out.printf(
                    "threads=%d warm-up=%ds measured=%ds cores=%d%n",
                    threads,
                    warmUp.toSeconds(),
                    measure.toSeconds(),
                    Runtime.getRuntime().availableProcessors());
            for (int projects : new int[] {8, 1}) {
                run(db, threads, projects, warmUp, false);
                double perSecond = run(db, threads, projects, measure, true);
                System.out.printf("projects=%d appends/s=%.0f%n", projects, perSecond);
            }
            // every chain written under contention must still verify
            JooqAuditLog log = new JooqAuditLog(db);
            for (String project : log.projects()) {
                var verdict = log.readChain(
                        project,
                        entries -> ChainVerifier.verify(
                                project, entries, log.head(project).orElseThrow()));
                if (!verdict.intact()) {
                    throw new IllegalStateException("chain " + project + " broken: " + verdict);
                }
            }
            System.out.println("all chains verified");
        }
    }

    private static double run(DSLContext db, int threads, int projects, Duration duration, boolean counted)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong appends = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String project = "bench-" + run + "-" + (t % projects);
            Thread worker = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    while (!stop.get()) {
                        db.transaction(tx -> new JooqAuditLog(tx.dsl()).append(List.of(entry(project))));
                        appends.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            workers.add(worker);
        }
        long started = System.nanoTime();
        start.countDown();
        Thread.sleep(duration.toMillis());
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return counted ? appends.get() / seconds : 0;
    }

    private static NewAuditEntry entry(String project) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("callId", UUID.randomUUID().toString());
        payload.put("attemptNo", 1);
        payload.put("status", "SUCCEEDED");
        payload.put("inputTokens", 812L);
        payload.put("outputTokens", 64L);
        payload.put("costUsd", new java.math.BigDecimal("0.000412000000"));
        payload.put("requestText", "Classify the ticket: the printer on floor 3 shows error E-42 again. ".repeat(6));
        payload.put("responseText", "{\"category\":\"hardware\",\"priority\":\"normal\"}");
        return new NewAuditEntry(
                project,
                AuditKind.AI_CALL_ATTEMPT,
                Instant.now(),
                null,
                "bench",
                new ProcessCoordinates(
                        "ticket-triage", null, null, 2251799813685249L, "classify", 2251799813685301L, null, null),
                UUID.randomUUID(),
                "openai",
                "gpt-4o-mini",
                payload);
    }
}
