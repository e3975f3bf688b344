package io.aiops.connector.failopen;

import io.aiops.connector.failopen.UnapprovedCallSpool.SpooledCall;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.OnPolicyUnavailable;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.TextRedaction;
import io.aiops.policy.api.UnapprovedCall;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this worker may do while the policy service is unavailable ({@link OnPolicyUnavailable#FAIL_OPEN_CAPPED}).
 *
 * <p>Every decision the worker receives updates what it remembers for the decision's project, task kind and model
 * hint: the fail-open terms (first candidate and its dearest token prices) when the project allows failing open,
 * nothing otherwise (RETRY, a denial). When a later decision cannot be had, {@link #open} grants a call on those terms
 * only while this worker's unapproved spend not yet recorded by the service, plus the worst case of the new call, stays
 * within {@code maxSpendUsd}. The call's outcome goes to the durable {@link UnapprovedCallSpool}; a background task
 * posts spooled calls to the service until it records them, and only then does their money leave the cap. A worker
 * that never received a decision for the task has nothing to go on and retries.
 */
public final class FailOpen implements AutoCloseable {

    /** A worker that never fails open: every task waits for the policy service. */
    public static final FailOpen OFF = new FailOpen(BigDecimal.ZERO, null, "none");

    private static final Logger LOG = LoggerFactory.getLogger(FailOpen.class);
    private static final int REMEMBERED_LIMIT = 10_000;

    /** The terms remembered for one kind of task, with the redaction its texts need. */
    private record Terms(Decision.FailOpen terms, TextRedaction redaction) {}

    /** A call granted: its terms, the redaction its texts need, and the worst case held against the cap meanwhile. */
    public record Grant(Decision.FailOpen terms, TextRedaction redaction, BigDecimal heldUsd) {}

    /** A grant, or why there is none. */
    public record Opening(Grant grant, String refusal) {}

    private final BigDecimal maxSpendUsd;
    private final UnapprovedCallSpool spool;
    private final String worker;
    private final Map<List<String>, Terms> remembered = new ConcurrentHashMap<>();
    private BigDecimal heldUsd = BigDecimal.ZERO;
    private ScheduledExecutorService replayer;

    /**
     * @param maxSpendUsd the most this worker's unapproved calls not yet recorded may cost together (zero: never fail
     *     open)
     * @param spool where unapproved calls are kept until recorded (null only when {@code maxSpendUsd} is zero)
     * @param worker the name recorded with each unapproved call
     */
    public FailOpen(BigDecimal maxSpendUsd, UnapprovedCallSpool spool, String worker) {
        this.maxSpendUsd = Objects.requireNonNull(maxSpendUsd, "maxSpendUsd");
        if (maxSpendUsd.signum() > 0 && spool == null) {
            throw new IllegalArgumentException("failing open needs a spool for the unapproved calls");
        }
        this.spool = spool;
        this.worker = Objects.requireNonNull(worker, "worker");
    }

    public String worker() {
        return worker;
    }

    public BigDecimal maxSpendUsd() {
        return maxSpendUsd;
    }

    /** True when this worker may fail open at all (a positive cap). */
    public boolean enabled() {
        return maxSpendUsd.signum() > 0;
    }

    /** Remembers what {@code decision} says about failing open for this kind of task. */
    public void remember(String project, String taskKind, String modelHint, Decision decision) {
        if (!enabled()) {
            return;
        }
        List<String> key = Arrays.asList(project, taskKind, modelHint);
        if (decision.failOpen() == null) {
            remembered.remove(key);
            return;
        }
        if (remembered.size() >= REMEMBERED_LIMIT) {
            remembered.clear();
        }
        remembered.put(key, new Terms(decision.failOpen(), decision.redaction()));
    }

    /**
     * Grants a call of this kind of task, with up to {@code inputTokens} and {@code maxOutputTokens}, when the last
     * decision for it allowed failing open and its worst case fits the cap; the grant holds that worst case until
     * {@link #release}.
     */
    public synchronized Opening open(
            String project, String taskKind, String modelHint, long inputTokens, long maxOutputTokens) {
        if (!enabled()) {
            return new Opening(null, "this worker does not fail open (its unapproved spend cap is 0)");
        }
        Terms terms = remembered.get(Arrays.asList(project, taskKind, modelHint));
        if (terms == null) {
            return new Opening(
                    null,
                    "no decision this worker received for project '" + project + "', task kind '" + taskKind
                            + "' allows failing open (onPolicyUnavailable RETRY, a denial, or none received yet)");
        }
        BigDecimal worstCase = terms.terms().worstCase(inputTokens, maxOutputTokens);
        BigDecimal inUse = heldUsd.add(spool.outstandingUsd());
        if (inUse.add(worstCase).compareTo(maxSpendUsd) > 0) {
            return new Opening(
                    null,
                    "this worker's unapproved spend cap of " + maxSpendUsd.toPlainString()
                            + " USD has "
                            + maxSpendUsd.subtract(inUse).max(BigDecimal.ZERO).toPlainString()
                            + " USD left, and this call may cost up to " + worstCase.toPlainString() + " USD");
        }
        heldUsd = heldUsd.add(worstCase);
        return new Opening(new Grant(terms.terms(), terms.redaction(), worstCase), null);
    }

    /** Gives back what the grant held (its call is spooled, or was never made). */
    public synchronized void release(Grant grant) {
        heldUsd = heldUsd.subtract(grant.heldUsd());
    }

    /** The unapproved call with its outcome, and the most it can have cost at the grant's prices. */
    public static SpooledCall spooled(UnapprovedCall call, Decision.FailOpen terms) {
        BigDecimal bound = BigDecimal.ZERO;
        for (CallOutcome.Attempt a : call.outcome().attempts()) {
            bound = bound.add(terms.worstCase(orZero(a.inputTokens()), orZero(a.outputTokens())));
        }
        return new SpooledCall(call, bound);
    }

    /**
     * Keeps the call durably until the service records it; false when this worker has no spool (it does not fail open)
     * and the caller must record the call itself.
     */
    public boolean keep(SpooledCall call) {
        if (spool == null) {
            return false;
        }
        spool.append(call);
        return true;
    }

    /** What this worker's unapproved calls not yet recorded may have cost, and what running grants hold. */
    public synchronized BigDecimal inUseUsd() {
        return heldUsd.add(spool == null ? BigDecimal.ZERO : spool.outstandingUsd());
    }

    /**
     * Posts every spooled call to the service, oldest first, until one cannot be delivered; returns how many were
     * recorded. A call the service refuses for good (4xx) is set aside in the spool's {@code rejected/} directory and
     * logged: its money stays counted against the cap until an operator deals with it.
     */
    public int replay(PolicyClient policy) {
        if (spool == null) {
            return 0;
        }
        int recorded = 0;
        for (SpooledCall pending : spool.pending()) {
            UnapprovedCall call = pending.call();
            try {
                var receipt = policy.recordUnapprovedCall(call);
                spool.recorded(call.decisionId());
                recorded++;
                LOG.info(
                        "Unapproved call {} recorded as call {} ({} USD)",
                        call.decisionId(),
                        receipt.callId(),
                        receipt.costUsd());
            } catch (PolicyServiceException e) {
                if (e.isTransient()) {
                    LOG.debug(
                            "Policy service still unavailable; {} unapproved call(s) wait in {}",
                            spool.pendingCount(),
                            spool.directory());
                    break;
                }
                LOG.error(
                        "The policy service refused unapproved call {} for good ({}); set aside in {}/rejected, its cost"
                                + " still counts against this worker's cap: {}",
                        call.decisionId(),
                        e.status(),
                        spool.directory(),
                        e.getMessage());
                spool.rejected(call.decisionId(), e.getMessage());
            }
        }
        return recorded;
    }

    /** Replays the spool every {@code interval} in a daemon thread, from now on until {@link #close}. */
    public synchronized FailOpen replayEvery(PolicyClient policy, Duration interval) {
        if (spool == null || replayer != null) {
            return this;
        }
        replayer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "aiops-unapproved-call-replay");
            thread.setDaemon(true);
            return thread;
        });
        replayer.scheduleWithFixedDelay(
                () -> {
                    try {
                        replay(policy);
                    } catch (RuntimeException e) {
                        LOG.warn("Replaying unapproved calls failed; trying again in {}", interval, e);
                    }
                },
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public synchronized void close() {
        if (replayer != null) {
            replayer.shutdownNow();
            replayer = null;
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
