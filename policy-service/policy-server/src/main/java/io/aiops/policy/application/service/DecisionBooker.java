package io.aiops.policy.application.service;

import io.aiops.policy.application.port.out.DecisionStore;
import io.aiops.policy.application.port.out.DecisionStore.BookedDecision;
import io.aiops.policy.application.port.out.DecisionStore.BookingResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit for booked decisions: requests that arrive while the database works on a batch wait and go together in
 * the next {@link DecisionStore#book} call, one round trip and one transaction for all of them. No thread of its own:
 * the oldest waiting request runs the next batch on its own thread (it would wait anyway) and hands the turn to the
 * next waiting request when it is done. Alone, a request runs its batch of one at once, so nothing waits for a timer.
 *
 * <p>At most {@code concurrency} batches run at once. A batch holds each idempotency key once (a repeat waits for the
 * next batch, where it finds the key taken). When a batch of several fails, each of its decisions is booked alone, so
 * one decision the database refuses fails only its own request; a decision of a batch whose commit did happen before
 * the failure finds its key taken then and gets the stored decision, as a redelivered job would.
 */
public final class DecisionBooker {

    private final DecisionStore store;
    private final int maxBatch;
    private final int concurrency;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int running;

    public DecisionBooker(DecisionStore store, int maxBatch, int concurrency) {
        if (maxBatch < 1 || concurrency < 1) {
            throw new IllegalArgumentException("maxBatch and concurrency must be at least 1");
        }
        this.store = store;
        this.maxBatch = maxBatch;
        this.concurrency = concurrency;
    }

    /** Books {@code decision} with whatever else is waiting, and returns its own result. */
    public BookingResult book(BookedDecision decision) {
        Pending mine = new Pending(decision);
        synchronized (queue) {
            queue.add(mine);
            if (running < concurrency) {
                running++;
                mine.giveTurn();
            }
        }
        // false only when the result is in and no turn is pending: a turn handed to this request is always used, even
        // after its own result came in (dropping it would leave one batch slot taken for good)
        while (mine.awaitTurnOrResult()) {
            runOneBatch(mine);
        }
        return mine.result();
    }

    /** How many batches are running or handed to a request that will run one (for tests and metrics). */
    int running() {
        synchronized (queue) {
            return running;
        }
    }

    /** How many requests wait for a batch to take them (for tests and metrics). */
    int waiting() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void runOneBatch(Pending runner) {
        List<Pending> batch = new ArrayList<>();
        synchronized (queue) {
            // its turn is being used: should the runner stay queued (not in this batch), it may be handed another one
            runner.handedTurn = false;
            Set<String> keys = new HashSet<>();
            for (Iterator<Pending> it = queue.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
                Pending next = it.next();
                if (keys.add(next.decision.decision().request().idempotencyKey())) {
                    batch.add(next);
                    it.remove();
                }
            }
        }
        // an interrupt from before this request's wait belongs to its caller, not to the batch's database call
        boolean interrupted = Thread.interrupted();
        Object[] outcomes = null;
        try {
            outcomes = batch.isEmpty() ? new Object[0] : book(batch);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            // the next batch starts before this one's requests are woken: they would take the cores its runner needs
            passTurn();
            Throwable missing = outcomes == null ? new IllegalStateException("the batch ended without results") : null;
            for (int i = 0; i < batch.size(); i++) {
                Object outcome = outcomes == null ? missing : outcomes[i];
                if (outcome instanceof BookingResult result) {
                    batch.get(i).complete(result, null);
                } else {
                    batch.get(i).complete(null, (Throwable) outcome);
                }
            }
        }
    }

    /**
     * Hands this runner's turn to the oldest waiting request that does not hold one yet, or gives it up when there is
     * none. A request keeps its place in the queue until a batch takes it, so without the mark two runners finishing
     * together could hand the same request two turns, and one of them would be lost for good.
     */
    private void passTurn() {
        synchronized (queue) {
            for (Pending waiting : queue) {
                if (!waiting.handedTurn) {
                    waiting.giveTurn();
                    return;
                }
            }
            running--;
        }
    }

    /** Each decision's {@link BookingResult}, or the {@link Throwable} its booking failed with. */
    private Object[] book(List<Pending> batch) {
        Object[] outcomes = new Object[batch.size()];
        try {
            List<BookingResult> results =
                    store.book(batch.stream().map(p -> p.decision).toList());
            for (int i = 0; i < batch.size(); i++) {
                outcomes[i] = results.get(i);
            }
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                outcomes[0] = e;
                return outcomes;
            }
            for (int i = 0; i < batch.size(); i++) {
                try {
                    outcomes[i] = store.book(List.of(batch.get(i).decision)).getFirst();
                } catch (RuntimeException | Error failure) {
                    outcomes[i] = failure;
                }
            }
        }
        return outcomes;
    }

    /**
     * One request's decision, its turn to run a batch and, once booked, its result or failure. The waiting thread parks;
     * whoever gives it the turn or completes it unparks it.
     */
    private static final class Pending {
        private final BookedDecision decision;
        private final Thread owner = Thread.currentThread();
        // under the queue's lock: true from when a turn is handed to this request until it starts using it, so no
        // request ever holds two turns
        private boolean handedTurn;
        private volatile boolean turn;
        private volatile boolean done;
        // written before done is set, read after done is seen
        private BookingResult result;
        private Throwable failure;
        // only the owner touches it
        private boolean interrupted;

        Pending(BookedDecision decision) {
            this.decision = decision;
        }

        /**
         * True when this request is to run a batch now (a turn is always used, even when the decision is in by then:
         * the turn is how the next batch starts); false when its result is in. An interrupt does not end the wait, as the
         * batch holding the decision completes it whatever happens; the interrupt is kept for the caller.
         */
        boolean awaitTurnOrResult() {
            while (!turn && !done) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (turn) {
                turn = false;
                return true;
            }
            return false;
        }

        /** Call holding the queue's lock. */
        void giveTurn() {
            handedTurn = true;
            turn = true;
            LockSupport.unpark(owner);
        }

        void complete(BookingResult result, Throwable failure) {
            this.result = result;
            this.failure = failure;
            this.done = true;
            LockSupport.unpark(owner);
        }

        BookingResult result() {
            if (interrupted) {
                owner.interrupt();
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            return result;
        }
    }
}
