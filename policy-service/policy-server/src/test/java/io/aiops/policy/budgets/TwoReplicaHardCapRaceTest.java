package io.aiops.policy.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.BudgetReconciliation;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.DenialReason;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.application.port.in.ExpireReservationsUseCase;
import io.aiops.policy.support.MutableClock;
import io.aiops.policy.support.PolicyServerReplica;
import io.aiops.policy.support.TestPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HARD-cap invariant under real contention: 64 callers spread over two server instances that share one
 * PostgreSQL race for a $1.00 daily budget with calls of random size, report random actual costs, and some never
 * report at all (crashed workers) until expiry releases their money. The cap must hold at every moment, every cent
 * must be accounted for, and the budget must end up used to within one reservation of its limit.
 */
class TwoReplicaHardCapRaceTest {

    private static final String ADMIN_KEY = "race-admin-" + UUID.randomUUID();
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private static final int CALLERS = 64;
    private static final BigDecimal LIMIT = new BigDecimal("1.00");
    private static final BigDecimal INPUT_PRICE = new BigDecimal("0.000001");
    private static final BigDecimal OUTPUT_PRICE = new BigDecimal("0.000004");
    private static final int MAX_INPUT = 4000;
    private static final int MAX_OUTPUT = 1000;
    /** The largest reservation a caller can ask for: MAX_INPUT * input price + MAX_OUTPUT * output price. */
    private static final BigDecimal LARGEST_RESERVATION = new BigDecimal("0.008");

    private static String jdbcUrl;
    private static PolicyServerReplica first;
    private static PolicyServerReplica second;

    @BeforeAll
    static void twoInstancesOnOneDatabase() {
        jdbcUrl = TestPostgres.freshDatabaseUrl();
        first = PolicyServerReplica.start("replica-a", jdbcUrl, ADMIN_KEY, CLOCK);
        second = PolicyServerReplica.start("replica-b", jdbcUrl, ADMIN_KEY, CLOCK);
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void sixtyFourCallersOnTwoInstancesNeverPassTheHardCapAndUseItUp() throws Exception {
        PolicyClient adminA = new PolicyClient(first.baseUri(), ADMIN_KEY);
        String project = "race";
        adminA.putModel(new ModelPrice("acme", "racer", INPUT_PRICE, OUTPUT_PRICE, null, null, null, null));
        adminA.putModel(new ModelPrice(
                "acme", "racer-lite", new BigDecimal("0.0000005"), new BigDecimal("0.000001"), null, null, null, null));
        adminA.putRoutingPolicy(new RoutingPolicy(
                "race-route",
                project,
                null,
                List.of(
                        new RoutingPolicy.Target("acme", "racer-lite", null),
                        new RoutingPolicy.Target("acme", "racer", null))));
        String workerKey = adminA.createApiKey(new ApiKeyRequest("race-worker", ApiRole.WORKER, List.of()))
                .key();
        // instance B reads the budget definitions before the budget exists, and its clock stands still: the budget
        // defined
        // through A is one B's copy never shows, so only the booking's version check keeps B's decisions under the cap
        // (in another project, settled at once with nothing spent, so the figures below are the race's own)
        PolicyClient warmUpB = new PolicyClient(second.baseUri(), workerKey);
        Decision warmUp = warmUpB.decide(new DecisionRequest(
                "warm-up",
                "warm-up",
                "ticket-triage",
                7L,
                0L,
                "classify",
                0L,
                null,
                "classify",
                null,
                10,
                10,
                Map.of()));
        Decision.Candidate warmUpModel = warmUp.candidates().getFirst();
        warmUpB.reportOutcome(
                warmUp.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                warmUpModel.provider(),
                                warmUpModel.model(),
                                0L,
                                0L,
                                0L,
                                0L,
                                0L,
                                1L,
                                CallStatus.FAILED,
                                "TIMEOUT")),
                        Map.of(),
                        null,
                        null));
        adminA.putBudget(new BudgetDefinition(
                "race-cap", new BudgetScope(project, null), BudgetPeriod.DAY, LIMIT, BudgetMode.HARD));
        // generous time-outs: on a loaded machine a request the client gave up on would still hold its reservation on
        // the server and look like a crash; this test is about the money, not the latency
        Duration patience = Duration.ofMinutes(2);
        List<PolicyClient> workers = List.of(
                new PolicyClient(first.baseUri(), workerKey, patience),
                new PolicyClient(second.baseUri(), workerKey, patience));
        allWorkers = workers;

        Tally tally = new Tally();
        long started = System.nanoTime();
        try (CapWatch watch = new CapWatch(jdbcUrl)) {
            // round 1: a fixed number of calls per caller, more than the cap pays for; one allowed call in 20 "crashes"
            runCallers(workers, tally, 0.05, caller -> caller.decisionsMade >= 10);
            CLOCK.advance(Duration.ofMinutes(16));
            int expired = second.bean(ExpireReservationsUseCase.class).expireDue();
            assertThat(expired).isEqualTo(tally.crashed.get());
            // round 2: no crashes; each caller keeps going until it is denied while nothing is in flight and what is
            // left
            // is less than the largest reservation anyone asks for
            PolicyClient viewerB = new PolicyClient(second.baseUri(), ADMIN_KEY);
            runCallers(workers, tally, 0.0, caller -> caller.lastDenied && nothingLeftToUse(viewerB));
            watch.stop();

            long wallMs = (System.nanoTime() - started) / 1_000_000;
            Figures figures = figures();
            System.out.printf(
                    "HARD cap race: %d callers on 2 instances, limit %s USD: %d decisions, %d allowed (%d on instance A, %d on"
                            + " B), %d denied, %d crashed and expired, spent %s USD, headroom left %s USD, %d cap samples"
                            + " (max spent+reserved %s USD), wall time %d ms%n",
                    CALLERS,
                    LIMIT,
                    tally.allowed.get() + tally.denied.get(),
                    tally.allowed.get(),
                    tally.allowedOn[0].get(),
                    tally.allowedOn[1].get(),
                    tally.denied.get(),
                    tally.crashed.get(),
                    figures.spent.toPlainString(),
                    LIMIT.subtract(figures.spent).toPlainString(),
                    watch.samples.get(),
                    watch.maxUsed.get().toPlainString(),
                    wallMs);

            assertThat(watch.breach.get())
                    .as("a moment where spent + reserved exceeded the limit")
                    .isNull();
            assertThat(figures.reservationsWithoutHold)
                    .as("allowed decisions that hold no money")
                    .isZero();
            BudgetReconciliation reconciliation = adminA.reconcileBudget("race-cap");
            assertThat(reconciliation.callsWithoutHold())
                    .as("calls the budget never saw")
                    .isZero();
            assertThat(reconciliation.consistent())
                    .as("window figures agree with holds and ledger: %s", reconciliation)
                    .isTrue();
            assertThat(figures.spent).isLessThanOrEqualTo(LIMIT);
            assertThat(figures.reserved).isEqualByComparingTo("0");
            assertThat(figures.spent).isEqualByComparingTo(figures.ledgerCost);
            assertThat(figures.openReservations).isZero();
            assertThat(figures.expiredReservations).isEqualTo(tally.crashed.get());
            assertThat(figures.reservations).isEqualTo(tally.allowed.get());
            assertThat(figures.calls).isEqualTo(tally.allowed.get() - tally.crashed.get());
            assertThat(tally.denied.get()).as("the cap was contested").isPositive();
            assertThat(tally.allowedOn[0].get()).isPositive();
            assertThat(tally.allowedOn[1].get()).isPositive();
            assertThat(LIMIT.subtract(figures.spent)).as("headroom left unused").isLessThan(LARGEST_RESERVATION);
            assertThat(tally.errors).isEmpty();
        }
    }

    private static boolean nothingLeftToUse(PolicyClient viewer) {
        BudgetStatus status = viewer.getBudget("race-cap");
        return status.reservedUsd().signum() == 0 && status.remainingUsd().compareTo(LARGEST_RESERVATION) < 0;
    }

    /** What each caller knows about its own run. */
    private static final class CallerState {
        int decisionsMade;
        boolean lastDenied;
    }

    private interface StopRule {
        boolean done(CallerState caller);
    }

    private static final class Tally {
        final AtomicInteger allowed = new AtomicInteger();
        final AtomicInteger denied = new AtomicInteger();
        final AtomicInteger crashed = new AtomicInteger();
        final AtomicInteger[] allowedOn = {new AtomicInteger(), new AtomicInteger()};
        final List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    }

    private static final AtomicLong KEYS = new AtomicLong();

    private static void runCallers(List<PolicyClient> workers, Tally tally, double crashRate, StopRule stop)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int c = 0; c < CALLERS; c++) {
                int callerNo = c;
                futures.add(pool.submit(() -> {
                    go.await();
                    Random random = new Random(31L * callerNo + KEYS.get());
                    PolicyClient worker = workers.get(callerNo % 2);
                    CallerState state = new CallerState();
                    while (!stop.done(state)) {
                        try {
                            call(worker, random, crashRate, tally, state, callerNo % 2);
                        } catch (RuntimeException e) {
                            tally.errors.add(e);
                            return null;
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static final ExecutorService TWIN_CALLERS = Executors.newVirtualThreadPerTaskExecutor();
    private static List<PolicyClient> allWorkers;

    private static PolicyClient twinOf(PolicyClient worker) {
        return allWorkers.get(0) == worker ? allWorkers.get(1) : allWorkers.get(0);
    }

    private static void call(
            PolicyClient worker, Random random, double crashRate, Tally tally, CallerState state, int instance) {
        long key = KEYS.incrementAndGet();
        int estimatedInput = 100 + random.nextInt(MAX_INPUT - 99);
        int maxOutput = 50 + random.nextInt(MAX_OUTPUT - 49);
        DecisionRequest request = new DecisionRequest(
                "ei:" + key + ":1",
                "race",
                "ticket-triage",
                7L,
                key,
                "classify",
                key,
                null,
                "classify",
                null,
                estimatedInput,
                maxOutput,
                Map.of());
        // the same decision asked of both instances at once, as when a job's timeout passes while its first worker
        // still
        // runs and Zeebe hands it to a second worker: both must get the one decision
        CompletableFuture<Decision> twin =
                CompletableFuture.supplyAsync(() -> twinOf(worker).decide(request), TWIN_CALLERS);
        Decision decision = worker.decide(request);
        Decision twinDecision = twin.join();
        assertThat(twinDecision.decisionId())
                .as("one decision per idempotency key")
                .isEqualTo(decision.decisionId());
        assertThat(twinDecision.allowed()).isEqualTo(decision.allowed());
        state.decisionsMade++;
        state.lastDenied = !decision.allowed();
        if (!decision.allowed()) {
            assertThat(decision.reason()).isEqualTo(DenialReason.BUDGET_EXCEEDED);
            tally.denied.incrementAndGet();
            return;
        }
        tally.allowed.incrementAndGet();
        tally.allowedOn[instance].incrementAndGet();
        if (random.nextDouble() < crashRate) {
            tally.crashed.incrementAndGet();
            return;
        }
        // actual usage never exceeds what was reserved for: at most the estimate and the output limit, one attempt
        Decision.Candidate used =
                decision.candidates().get(random.nextInt(decision.candidates().size()));
        boolean failed = random.nextInt(10) == 0;
        long input = failed ? 0 : 1 + random.nextInt(estimatedInput);
        long output = failed ? 0 : 1 + random.nextInt(maxOutput);
        worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                used.provider(),
                                used.model(),
                                input,
                                0L,
                                0L,
                                output,
                                0L,
                                5L,
                                failed ? CallStatus.FAILED : CallStatus.SUCCEEDED,
                                failed ? "TIMEOUT" : null)),
                        Map.of(),
                        null,
                        failed ? null : "ok"));
    }

    private record Figures(
            BigDecimal spent,
            BigDecimal reserved,
            BigDecimal ledgerCost,
            long reservations,
            long openReservations,
            long expiredReservations,
            long calls,
            long reservationsWithoutHold) {}

    private static Figures figures() throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", null);
                Statement statement = connection.createStatement();
                ResultSet r = statement.executeQuery(
                        "with race_calls as (select c.* from calls c join decisions d on d.id = c.decision_id"
                                + "   where d.project = 'race'),"
                                + " race_reservations as (select r.* from reservations r join decisions d on d.id = r.decision_id"
                                + "   where d.project = 'race')"
                                + " select w.spent_usd, w.reserved_usd,"
                                + " (select coalesce(sum(cost_usd), 0) from race_calls),"
                                + " (select count(*) from race_reservations),"
                                + " (select count(*) from race_reservations where status = 'OPEN'),"
                                + " (select count(*) from race_reservations where status = 'EXPIRED'),"
                                + " (select count(*) from race_calls),"
                                + " (select count(*) from race_reservations r where not exists"
                                + "   (select 1 from reservation_holds h where h.reservation_id = r.id))"
                                + " from budget_windows w where w.budget_id = 'race-cap'")) {
            assertThat(r.next()).as("the budget has a window").isTrue();
            return new Figures(
                    r.getBigDecimal(1),
                    r.getBigDecimal(2),
                    r.getBigDecimal(3),
                    r.getLong(4),
                    r.getLong(5),
                    r.getLong(6),
                    r.getLong(7),
                    r.getLong(8));
        }
    }

    /** Reads the budget window over and over while the callers run and remembers any moment above the limit. */
    private static final class CapWatch implements AutoCloseable {
        final AtomicReference<String> breach = new AtomicReference<>();
        final AtomicReference<BigDecimal> maxUsed = new AtomicReference<>(BigDecimal.ZERO);
        final AtomicLong samples = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        CapWatch(String url) throws SQLException {
            Connection connection = DriverManager.getConnection(url, "postgres", null);
            thread = Thread.ofPlatform().name("cap-watch").start(() -> {
                try (connection;
                        Statement statement = connection.createStatement()) {
                    while (running.get()) {
                        try (ResultSet r = statement.executeQuery(
                                "select w.spent_usd + w.reserved_usd, b.limit_usd from budget_windows w"
                                        + " join budgets b on b.id = w.budget_id where w.budget_id = 'race-cap'")) {
                            if (r.next()) {
                                BigDecimal used = r.getBigDecimal(1);
                                samples.incrementAndGet();
                                maxUsed.accumulateAndGet(used, BigDecimal::max);
                                if (used.compareTo(r.getBigDecimal(2)) > 0) {
                                    breach.compareAndSet(null, "spent + reserved = " + used.toPlainString());
                                }
                            }
                        }
                    }
                } catch (SQLException e) {
                    breach.compareAndSet(null, "watch failed: " + e.getMessage());
                }
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
