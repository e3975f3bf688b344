package io.aiops.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The {@code --chaos} specs of the sandbox: what breaks in the middle of the run, once the provider has answered a
 * quarter of the instances' first calls.
 *
 * <ul>
 *   <li>{@code policy-restart}: the policy server is killed (SIGKILL, its embedded PostgreSQL with it) and started
 *       again at once on the same port and data;
 *   <li>{@code policy-outage:<n>s}: the policy server is stopped for n seconds (as in a deployment gone wrong), then
 *       started again;
 *   <li>{@code db-restart}: PostgreSQL is stopped (fast shutdown: every connection cut) and started again on the same
 *       port and data, under the running policy server;
 *   <li>{@code worker-kill}: the worker runtime is killed (SIGKILL) with jobs in hand and started again; Zeebe hands
 *       the jobs it held to the new one when their timeout passes.
 * </ul>
 */
record ChaosPlan(List<Step> steps) {

    /** One thing that breaks. */
    record Step(Kind kind, Duration outage, String spec) {}

    enum Kind {
        POLICY_RESTART,
        POLICY_OUTAGE,
        DB_RESTART,
        WORKER_KILL
    }

    static ChaosPlan none() {
        return new ChaosPlan(List.of());
    }

    boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * The plan of the specs.
     *
     * @throws IllegalArgumentException naming the spec that does not parse
     */
    static ChaosPlan parse(List<String> specs) {
        List<Step> steps = new ArrayList<>();
        for (String option : specs == null ? List.<String>of() : specs) {
            for (String spec : option.split(",")) {
                String s = spec.trim().toLowerCase(Locale.ROOT);
                if (s.isEmpty()) {
                    continue;
                }
                if (s.equals("policy-restart")) {
                    steps.add(new Step(Kind.POLICY_RESTART, Duration.ZERO, s));
                } else if (s.equals("db-restart")) {
                    steps.add(new Step(Kind.DB_RESTART, Duration.ZERO, s));
                } else if (s.equals("worker-kill")) {
                    steps.add(new Step(Kind.WORKER_KILL, Duration.ZERO, s));
                } else if (s.matches("policy-outage:[0-9]{1,4}s")) {
                    steps.add(new Step(
                            Kind.POLICY_OUTAGE,
                            Duration.ofSeconds(Long.parseLong(s.substring("policy-outage:".length(), s.length() - 1))),
                            s));
                } else {
                    throw new IllegalArgumentException("unknown chaos '" + spec.trim()
                            + "': expected policy-restart, policy-outage:<seconds>s (e.g. policy-outage:30s), db-restart or"
                            + " worker-kill");
                }
            }
        }
        return new ChaosPlan(List.copyOf(steps));
    }

    /** Breaks the stack step by step; {@code progress} hears what happens. */
    void run(LocalStack stack, Consumer<String> progress) throws Exception {
        ServiceProcess server = stack.policyServer();
        for (Step step : steps) {
            switch (step.kind()) {
                case POLICY_RESTART -> {
                    progress.accept("chaos: killing the policy server");
                    server.kill();
                    long t0 = System.nanoTime();
                    server.launch(Duration.ofSeconds(120));
                    progress.accept(
                            String.format("chaos: policy server back after %.1f s", (System.nanoTime() - t0) / 1e9));
                }
                case POLICY_OUTAGE -> {
                    progress.accept(
                            "chaos: policy server down for " + step.outage().toSeconds() + " s");
                    server.stop();
                    // an outage is a stretch of wall-clock time the workers must ride out
                    Thread.sleep(step.outage().toMillis());
                    server.launch(Duration.ofSeconds(120));
                    progress.accept("chaos: policy server back");
                }
                case WORKER_KILL -> {
                    progress.accept("chaos: killing the worker runtime");
                    stack.workerRuntime().kill();
                    long t0 = System.nanoTime();
                    stack.workerRuntime().launch(Duration.ofSeconds(120));
                    progress.accept(
                            String.format("chaos: worker runtime back after %.1f s", (System.nanoTime() - t0) / 1e9));
                }
                case DB_RESTART -> {
                    progress.accept("chaos: restarting PostgreSQL");
                    long t0 = System.nanoTime();
                    stack.database().restart();
                    progress.accept(
                            String.format("chaos: PostgreSQL back after %.1f s", (System.nanoTime() - t0) / 1e9));
                }
            }
        }
    }
}
