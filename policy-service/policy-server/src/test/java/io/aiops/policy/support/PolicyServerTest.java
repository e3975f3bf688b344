package io.aiops.policy.support;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.DECISIONS;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.RoutingPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the system tests: the real server on a random port against the shared embedded PostgreSQL, spoken to over
 * HTTP with the contract's own {@link PolicyClient}. Every test class shares one Spring context.
 */
// metrics export is off in Spring Boot tests unless asked for: the Prometheus endpoint is part of the product
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(PolicyServerTest.TestClock.class)
public abstract class PolicyServerTest {

    public static final String ADMIN_KEY = "test-admin-key-" + UUID.randomUUID();
    /** The role the service connects as in tests. */
    public static final String RUNTIME_ROLE = "aiops_runtime";

    /** Where this run's audit anchors are published. */
    public static final Path ANCHOR_DIRECTORY = anchorDirectory();

    private static Path anchorDirectory() {
        try {
            return Files.createTempDirectory("aiops-anchors");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where every test class's clock starts: noon, so advancing it by minutes never crosses a day window. */
    public static final Instant START = Instant.parse("2026-11-26T12:00:00Z");

    /**
     * This test class's clock: a new one for every class, started at {@link #START} before its first test, so a class
     * sees its own moves only and never depends on the classes that ran before it. The server reads it.
     */
    protected static volatile MutableClock CLOCK = new MutableClock(START);

    private static final AtomicLong KEYS = new AtomicLong(1_000_000);
    private static final HttpClient ADMIN_HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;
    /** The database as the service sees it: the runtime role. */
    @Autowired
    protected DSLContext db;
    /** The database as its owner (postgres): for what only an owner can do, such as switching triggers off. */
    protected static final DSLContext OWNER = DSL.using(TestPostgres.jdbcUrl());

    protected PolicyClient admin;
    protected PolicyClient worker;
    protected PolicyClient viewer;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        // as in production: postgres owns the schema and migrates, the service serves as a role with only its grants
        registry.add("aiops.db.url", TestPostgres::jdbcUrlWithoutUser);
        registry.add("aiops.db.migration-user", () -> "postgres");
        registry.add("aiops.db.user", () -> RUNTIME_ROLE);
        registry.add("aiops.bootstrap-admin-key", () -> ADMIN_KEY);
        registry.add("aiops.reservations.expiry-job-enabled", () -> "false");
        registry.add("aiops.reservations.ttl", () -> "15m");
        // many tests send bad keys on purpose; the limit itself is tested on the filter with its own clock
        registry.add("aiops.limits.failed-authentications-per-minute", () -> "100000");
        registry.add("aiops.api-keys.rotation-grace", () -> "5m");
        registry.add("aiops.audit.verification-enabled", () -> "false");
        registry.add("aiops.audit.purge-enabled", () -> "false");
        // tests drive alert evaluation and delivery themselves, with the test clock
        registry.add("aiops.alerts.evaluation-enabled", () -> "false");
        registry.add("aiops.alerts.delivery-enabled", () -> "false");
        // a cluster address that refuses connections: rules may name a Zeebe message; tests deliver with their own
        // channels
        registry.add("aiops.alerts.zeebe.rest-address", () -> "http://127.0.0.1:9");
        // tests' webhook receivers listen on this machine, over plain http
        registry.add("aiops.outbound.allow-http", () -> "true");
        registry.add("aiops.outbound.allowed-hosts", () -> "localhost,127.0.0.0/8");
        // chain heads are published (on demand in tests) to a directory of this run
        registry.add("aiops.audit.anchor-key", () -> "test-anchor-key");
        registry.add("aiops.audit.anchor-directory", () -> ANCHOR_DIRECTORY.toString());
        // the dashboards link each call's trace id to a tracing UI
        registry.add("aiops.ui.trace-url", () -> "http://traces.example/trace/{traceId}");
    }

    /** Replaces the system clock with the running test class's hand-moved one. */
    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {
        @Bean
        @Primary
        Clock testClock() {
            return new Clock() {
                @Override
                public Instant instant() {
                    return CLOCK.instant();
                }

                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    throw new UnsupportedOperationException("tests run in UTC");
                }
            };
        }
    }

    @BeforeAll
    static void clockOfThisClass() {
        CLOCK = new MutableClock(START);
    }

    @BeforeEach
    void clients() {
        admin = new PolicyClient(baseUri(), ADMIN_KEY);
        worker = new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest("worker", ApiRole.WORKER, List.of()))
                        .key());
        viewer = new PolicyClient(
                baseUri(),
                admin.createApiKey(new ApiKeyRequest("viewer", ApiRole.VIEWER, List.of()))
                        .key());
    }

    /** Sends a raw JSON body (or none) with the admin key, for what the typed client cannot send: bad input. */
    protected HttpResponse<String> sendAsAdmin(String method, String path, String body) throws Exception {
        return ADMIN_HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUri() + path))
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected URI baseUri() {
        return URI.create("http://localhost:" + port);
    }

    /** A unique name so tests never see each other's budgets and policies in the shared database. */
    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static long nextKey() {
        return KEYS.incrementAndGet();
    }

    /** A valid decision request for a fresh element instance of a fresh process instance. */
    protected static DecisionRequest request(String project, String taskKind, int estimatedInput, int maxOutput) {
        long instance = nextKey();
        long element = nextKey();
        return new DecisionRequest(
                "ei:" + element + ":1",
                project,
                "ticket-triage",
                42L,
                instance,
                "classify",
                element,
                null,
                taskKind,
                null,
                estimatedInput,
                maxOutput,
                Map.of("team", "support"));
    }

    protected int decisionCount() {
        return db.fetchCount(DECISIONS);
    }

    /** Puts model {@code acme/<model>} in the catalog and routes every task of the project to it alone. */
    protected void routeProjectTo(String project, String model, String inputPerToken, String outputPerToken) {
        admin.putModel(new ModelPrice(
                "acme", model, new BigDecimal(inputPerToken), new BigDecimal(outputPerToken), null, null, null, null));
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"), project, null, List.of(new RoutingPolicy.Target("acme", model, null))));
    }

    /** A daily budget over one project; returns its id. */
    protected String budget(String project, String limitUsd, BudgetDefinition.BudgetMode mode) {
        String id = unique("budget");
        admin.putBudget(new BudgetDefinition(
                id,
                new BudgetDefinition.BudgetScope(project, null),
                BudgetDefinition.BudgetPeriod.DAY,
                new BigDecimal(limitUsd),
                mode));
        return id;
    }

    /** Runs all tasks at the same moment, one thread each, and returns their results in order. */
    protected static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
