package io.aiops.policy.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aiops.core.ProcessCoordinates;
import io.aiops.policy.application.port.in.DecideCommand;
import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.DecisionStore.BookedDecision;
import io.aiops.policy.application.port.out.DecisionStore.BookingOutcome;
import io.aiops.policy.application.port.out.DecisionStore.BookingResult;
import io.aiops.policy.application.port.out.DecisionStore.NewDecision;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit: who waits for whom, what goes into one database call, and what one bad decision may spoil. */
class DecisionBookerTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aLoneRequestIsBookedAtOnceInABatchOfOne() {
        RecordingStore store = new RecordingStore();
        DecisionBooker booker = new DecisionBooker(store, 10, 1);

        BookingResult result = booker.book(decision("ei:1:1"));

        assertThat(result.denialMessage()).isEqualTo("ei:1:1");
        assertThat(store.batchKeys()).containsExactly(List.of("ei:1:1"));
    }

    @Test
    void requestsArrivingWhileABatchRunsGoTogetherInTheNextCallAndEachGetsItsOwnResult() throws Exception {
        RecordingStore store = new RecordingStore();
        Held held = firstCallHeld(store, 10);
        DecisionBooker booker = held.booker();

        List<Future<BookingResult>> waiting =
                queued(booker, "waiting-0", "waiting-1", "waiting-2", "waiting-3", "waiting-4");
        held.release().countDown();

        assertThat(held.first().get(10, TimeUnit.SECONDS).denialMessage()).isEqualTo("first");
        for (int i = 0; i < 5; i++) {
            assertThat(waiting.get(i).get(10, TimeUnit.SECONDS).denialMessage()).isEqualTo("waiting-" + i);
        }
        assertThat(store.batchKeys()).hasSize(2);
        assertThat(store.batchKeys().get(1))
                .containsExactlyInAnyOrder("waiting-0", "waiting-1", "waiting-2", "waiting-3", "waiting-4");
    }

    @Test
    void aBatchHoldsAtMostMaxBatchDecisionsAndEachIdempotencyKeyOnce() throws Exception {
        RecordingStore store = new RecordingStore();
        Held held = firstCallHeld(store, 3);
        DecisionBooker booker = held.booker();

        List<Future<BookingResult>> waiting = queued(booker, "a", "a", "b", "c", "d");
        held.release().countDown();
        held.first().get(10, TimeUnit.SECONDS);
        for (Future<BookingResult> f : waiting) {
            f.get(10, TimeUnit.SECONDS);
        }

        List<List<String>> batches = store.batchKeys();
        assertThat(batches.subList(1, batches.size())).allSatisfy(batch -> {
            assertThat(batch).hasSizeLessThanOrEqualTo(3);
            assertThat(batch).doesNotHaveDuplicates();
        });
        assertThat(batches.subList(1, batches.size()).stream().flatMap(List::stream))
                .containsExactlyInAnyOrder("a", "a", "b", "c", "d");
        // the repeated key waits for a later call than its first use
        assertThat(batches.get(1)).startsWith("a");
    }

    @Test
    void whenABatchFailsEachDecisionIsBookedAloneSoOnlyTheBadOneFails() throws Exception {
        RecordingStore store = new RecordingStore();
        store.refuse("bad");
        Held held = firstCallHeld(store, 10);
        DecisionBooker booker = held.booker();
        List<Future<BookingResult>> waiting = queued(booker, "good", "bad");
        Future<BookingResult> good = waiting.get(0);
        Future<BookingResult> bad = waiting.get(1);
        held.release().countDown();

        held.first().get(10, TimeUnit.SECONDS);
        assertThat(good.get(10, TimeUnit.SECONDS).denialMessage()).isEqualTo("good");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("refused: bad");
        // the batch of both, then each alone
        assertThat(store.batchKeys().subList(1, 4))
                .containsExactly(List.of("good", "bad"), List.of("good"), List.of("bad"));
    }

    @Test
    void anInterruptedWaiterStillGetsItsResultAndKeepsTheInterrupt() throws Exception {
        RecordingStore store = new RecordingStore();
        Held held = firstCallHeld(store, 10);
        DecisionBooker booker = held.booker();
        CountDownLatch started = new CountDownLatch(1);
        Thread[] waiter = new Thread[1];
        Future<Object[]> outcome = pool.submit(() -> {
            waiter[0] = Thread.currentThread();
            started.countDown();
            BookingResult result = booker.book(decision("waiting"));
            return new Object[] {result, Thread.currentThread().isInterrupted()};
        });
        started.await();
        awaitTrue(() -> booker.waiting() == 1);
        waiter[0].interrupt();
        held.release().countDown();

        Object[] got = outcome.get(10, TimeUnit.SECONDS);
        assertThat(((BookingResult) got[0]).denialMessage()).isEqualTo("waiting");
        assertThat((Boolean) got[1]).isTrue();
    }

    /**
     * Several batches in flight, many requests, batches of varying length: every request gets its own result, and once
     * all are answered no batch slot is still taken. A turn handed twice to the same waiting request (two batches
     * finishing together) used to be lost, leaving its slot taken for good until no request was ever run again.
     */
    @Test
    void withSeveralBatchesInFlightEveryRequestIsAnsweredAndNoBatchSlotIsLeftTaken() throws Exception {
        for (int concurrency : List.of(2, 3)) {
            RecordingStore store = new RecordingStore();
            // a batch takes a little while, more for bigger ones, so runners overlap and finish close together
            store.spinPerDecisionNanos = 2_000;
            DecisionBooker booker = new DecisionBooker(store, 4, concurrency);
            List<Future<List<String>>> callers = new ArrayList<>();
            for (int c = 0; c < 12; c++) {
                String caller = "c" + concurrency + "-" + c;
                callers.add(pool.submit(() -> {
                    List<String> answers = new ArrayList<>();
                    for (int i = 0; i < 400; i++) {
                        answers.add(booker.book(decision(caller + ":" + i)).denialMessage());
                    }
                    return answers;
                }));
            }
            for (int c = 0; c < 12; c++) {
                List<String> answers = callers.get(c).get(60, TimeUnit.SECONDS);
                assertThat(answers).hasSize(400);
                for (int i = 0; i < 400; i++) {
                    assertThat(answers.get(i)).isEqualTo("c" + concurrency + "-" + c + ":" + i);
                }
            }
            assertThat(booker.waiting()).isZero();
            assertThat(booker.running())
                    .as("batch slots still taken after the last answer")
                    .isZero();
            // and a request arriving now is still run
            assertThat(pool.submit(() -> booker.book(decision("after")))
                            .get(10, TimeUnit.SECONDS)
                            .denialMessage())
                    .isEqualTo("after");
        }
    }

    /** A booker whose first call, of the decision "first", is held in the store until {@code release} counts down. */
    private record Held(DecisionBooker booker, CountDownLatch release, Future<BookingResult> first) {}

    private Held firstCallHeld(RecordingStore store, int maxBatch) throws InterruptedException {
        DecisionBooker booker = new DecisionBooker(store, maxBatch, 1);
        CountDownLatch release = store.holdNextCall();
        Future<BookingResult> first = pool.submit(() -> booker.book(decision("first")));
        store.awaitCalls(1);
        return new Held(booker, release, first);
    }

    /** Requests for {@code keys}, each queued behind the one before it (waiting, in this order, for the held call). */
    private List<Future<BookingResult>> queued(DecisionBooker booker, String... keys) throws InterruptedException {
        List<Future<BookingResult>> waiting = new ArrayList<>();
        for (String key : keys) {
            waiting.add(pool.submit(() -> booker.book(decision(key))));
            int queued = waiting.size();
            awaitTrue(() -> booker.waiting() == queued);
        }
        return waiting;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.onSpinWait();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private static BookedDecision decision(String key) {
        DecideCommand request = new DecideCommand(
                key,
                "p",
                new ProcessCoordinates("flow", null, null, 1L, "classify", 1L, null, null),
                "classify",
                null,
                100,
                100,
                Map.of());
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        return new BookedDecision(
                new NewDecision(UUID.randomUUID(), request, true, null, null, List.of(), now),
                UUID.randomUUID(),
                List.of(),
                List.of(),
                1L,
                false,
                Duration.ofMinutes(15),
                Duration.ofDays(1));
    }

    /**
     * Books everything, answering each decision with its own key as the message so a mix-up shows; can hold a call
     * until released, and refuses batches holding a given key.
     */
    private static final class RecordingStore implements DecisionStore {
        private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        private volatile CountDownLatch hold;
        private volatile String refused;
        private volatile long spinPerDecisionNanos;

        CountDownLatch holdNextCall() {
            CountDownLatch latch = new CountDownLatch(1);
            hold = latch;
            return latch;
        }

        void refuse(String key) {
            refused = key;
        }

        List<List<String>> batchKeys() {
            synchronized (batches) {
                return List.copyOf(batches);
            }
        }

        void awaitCalls(int calls) throws InterruptedException {
            awaitTrue(() -> batches.size() >= calls);
        }

        @Override
        public List<BookingResult> book(List<BookedDecision> decisions) {
            List<String> keys = decisions.stream()
                    .map(d -> d.decision().request().idempotencyKey())
                    .toList();
            batches.add(keys);
            long until = System.nanoTime() + spinPerDecisionNanos * keys.size() + (System.nanoTime() % 20_000);
            while (spinPerDecisionNanos > 0 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            CountDownLatch latch = hold;
            if (latch != null) {
                hold = null;
                try {
                    latch.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (keys.contains(refused)) {
                throw new IllegalStateException("refused: " + refused);
            }
            return keys.stream()
                    .map(k -> new BookingResult(BookingOutcome.ALLOWED, k, List.of(), BigDecimal.ONE, null))
                    .toList();
        }

        @Override
        public Optional<StoredDecision> findByIdempotencyKey(String idempotencyKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<StoredDecision> findById(UUID decisionId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean insertIfAbsent(NewDecision decision) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean insertUnapprovedIfAbsent(NewDecision decision) {
            throw new UnsupportedOperationException();
        }
    }
}
