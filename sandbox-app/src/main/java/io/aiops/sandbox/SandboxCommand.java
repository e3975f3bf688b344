package io.aiops.sandbox;

import com.fasterxml.jackson.core.type.TypeReference;
import io.aiops.policy.api.CallRecord;
import io.aiops.policy.api.OnPolicyUnavailable;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyUnavailableSettings;
import io.aiops.simulator.FaultRule;
import io.camunda.client.CamundaClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./sandbox}: starts the local stack, runs sample workflows, prints the spend summary, serves until Ctrl-C. */
@Command(
        name = "sandbox",
        mixinStandardHelpOptions = true,
        description = "Starts AI Ops for Camunda 8 locally on embedded defaults and runs the sample workflows.")
public final class SandboxCommand implements java.util.concurrent.Callable<Integer> {

    /** How long the sample instances may take to end (complete or reach an incident) before the summary is printed. */
    static final Duration INSTANCE_WAIT = Duration.ofMinutes(5);

    static final Duration SPOOL_WAIT = Duration.ofMinutes(1);

    @Option(
            names = "--instances",
            description = "Sample process instances to run (default " + FaultPhases.DEFAULT_INSTANCES
                    + "; with a quality fault in --faults, " + FaultPhases.ANSWERS_PER_WORKFLOW_AND_PHASE
                    + " per workflow before and after the fault switches on).")
    Integer instances;

    @Option(
            names = "--baseline",
            paramLabel = "N",
            description = "With a quality fault in --faults: the first N instances run without it, the baseline the"
                    + " QUALITY_DROP rule compares with (default half the instances).")
    Integer baseline;

    @Option(names = "--exit-when-done", description = "Exit after the summary instead of serving until Ctrl-C.")
    boolean exitWhenDone;

    @Option(names = "--json", description = "Also print the summary as one JSON object on the last line.")
    boolean json;

    @Option(names = "--keep-data", description = "Keep the previous run's database (default: start with a fresh one).")
    boolean keepData;

    @Option(
            names = "--data-dir",
            description = "Where the database, keys and logs are kept (default <repo>/.aiops-sandbox).")
    Path dataDir;

    @Option(names = "--bpmn-dir", description = "Folder of BPMN files (+ <name>.samples.json) to deploy and run.")
    Path bpmnDir;

    @Option(
            names = "--faults",
            paramLabel = "SPEC",
            split = ",",
            description =
                    "Make the simulated provider fail: <primary|all|model>:<kind>[x<count>|@<percent>%], kind one of "
                            + "429, 429-quota, 400, 500, 503, 529, timeout, malformed, truncated, drop (transport faults,"
                            + " on from the first request) or refusal, invalid-json, off-schema, wrong-category, truncate"
                            + " (quality faults: a wrong answer, switched on after the --baseline instances); e.g."
                            + " primary:503, primary:429@50%, all:503, primary:off-schema@40%. primary = "
                            + LocalStack.PRIMARY_MODEL + ", the first model of the sample routing.")
    List<String> faults;

    @Option(
            names = "--chaos",
            paramLabel = "SPEC",
            split = ",",
            description =
                    "Break part of the stack mid-run: policy-restart (the policy server is killed and started again),"
                            + " policy-outage:<n>s (it is down for n seconds), db-restart (PostgreSQL restarts under it), worker-kill (the"
                            + " worker runtime is killed with jobs in hand and started again). The JSON summary then counts paid calls against the"
                            + " ledger: callsPaidAtProvider, callsInLedger, callsPaidTwice, outcomesLost, overspendUsd.")
    List<String> chaos;

    @Option(
            names = "--on-policy-unavailable",
            paramLabel = "MODE",
            description =
                    "What the sample project's AI tasks do while the policy server is down: RETRY (default; the job is"
                            + " retried) or FAIL_OPEN_CAPPED (the worker calls the last decision's first model within its cap, keeps the"
                            + " call on disk and records it, flagged unapproved, when the server is back).")
    OnPolicyUnavailable onPolicyUnavailable = OnPolicyUnavailable.RETRY;

    private final PrintStream out;
    private final PrintStream err;

    public SandboxCommand() {
        this(System.out, System.err);
    }

    /** For tests: the summary goes to {@code out}, progress and hints to {@code err}. */
    SandboxCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SandboxCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("aiops.sandbox.root", "."))
                .toAbsolutePath()
                .normalize();
        Path data = dataDir != null ? dataDir : root.resolve(".aiops-sandbox");
        Path bpmn = bpmnDir != null ? bpmnDir : root.resolve("bpmn-templates/src/main/resources/bpmn");
        List<SampleWorkflow> workflows = SampleWorkflow.loadAll(bpmn);
        List<SampleWorkflow> startable =
                workflows.stream().filter(w -> !w.startedByMessage()).toList();
        List<FaultRule> faultRules;
        try {
            faultRules = ChaosFaults.parse(faults);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--faults: " + e.getMessage());
        }
        FaultPhases phases;
        try {
            phases = FaultPhases.plan(instances, baseline, faultRules, startable.size());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        if (startable.isEmpty() && phases.instances() > 0) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "no workflow in " + bpmn + " has a plain start event to run samples of");
        }
        ChaosPlan chaosPlan;
        try {
            chaosPlan = ChaosPlan.parse(chaos);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--chaos: " + e.getMessage());
        }

        long started = System.nanoTime();
        err.println("Starting the local stack...");
        try (LocalStack stack = LocalStack.start(root, data, !keepData, line -> err.println("  " + line))) {
            err.printf("Stack up in %.1f s%n", (System.nanoTime() - started) / 1e9);
            if (onPolicyUnavailable != OnPolicyUnavailable.RETRY) {
                stack.admin()
                        .putPolicyUnavailable(
                                LocalStack.SAMPLE_PROJECT, new PolicyUnavailableSettings(onPolicyUnavailable));
                err.println("  project " + LocalStack.SAMPLE_PROJECT + ": onPolicyUnavailable " + onPolicyUnavailable);
            }
            Instant runStarted = Instant.now();
            stack.admin().putAlertRule(FaultPhases.qualityDropRule());
            err.println("  alert rule " + FaultPhases.QUALITY_DROP_RULE + ": QUALITY_DROP over the last "
                    + FaultPhases.QUALITY_DROP_WINDOW.toMinutes() + " min against the 7 days before, at least "
                    + FaultPhases.QUALITY_DROP_MIN_SCORED + " scored answers each");
            phases.fromStart().forEach(rule -> {
                stack.simulator().faults().add(rule);
                err.println("  simulator fault " + rule.spec());
            });
            String tooFew = phases.tooFewSamples(startable.size());
            if (phases.hasQualityPhase()) {
                err.println("  quality faults "
                        + phases.afterBaseline().stream().map(FaultRule::spec).toList() + " switch on after "
                        + phases.baselineInstances() + " baseline instances");
                if (tooFew != null) {
                    err.println("  " + tooFew);
                }
            }
            try (CamundaClient zeebe = stack.zeebe().newClient()) {
                for (SampleWorkflow workflow : workflows) {
                    zeebe.newDeployResourceCommand()
                            .addResourceFile(workflow.bpmnFile().toString())
                            .send()
                            .join();
                    err.println("  deployed " + workflow.bpmnProcessId() + " ("
                            + workflow.bpmnFile().getFileName() + ")"
                            + (workflow.startedByMessage()
                                    ? ": started by its message (a budget alert), not by the samples"
                                    : ""));
                }
                Thread breaker = chaosPlan.isEmpty()
                        ? null
                        : Thread.ofPlatform().name("sandbox-chaos").start(() -> {
                            try {
                                awaitFirstAnswers(stack, phases.instances());
                                chaosPlan.run(stack, line -> err.println("  " + line));
                            } catch (Exception e) {
                                err.println("  chaos failed: " + e);
                            }
                        });
                Run run;
                Instant faultsOn = null;
                try (StandInPerson person = StandInPerson.open(zeebe)) {
                    ProgressBar bar = new ProgressBar(err, phases.instances());
                    run = runInstances(zeebe, stack.zeebe(), startable, person, bar, 0, phases.baselineInstances());
                    if (phases.hasQualityPhase()) {
                        // the baseline instances have ended: every later answer is one the faults may hit
                        faultsOn = Instant.now();
                        phases.afterBaseline().forEach(rule -> {
                            stack.simulator().faults().add(rule);
                            err.println("  simulator fault " + rule.spec() + " on after " + phases.baselineInstances()
                                    + " baseline instances");
                        });
                    }
                    run = run.and(runInstances(
                            zeebe,
                            stack.zeebe(),
                            startable,
                            person,
                            bar,
                            phases.baselineInstances(),
                            phases.instances()));
                    bar.finish();
                }
                if (breaker != null) {
                    breaker.join();
                }
                awaitUnapprovedCallsRecorded(LocalStack.spoolDir(data));
                if (faultsOn != null && tooFew == null) {
                    awaitQualityWindow(faultsOn);
                }
                FiredAlerts alerts = FiredAlerts.of(stack.admin().alerts(runStarted.toString(), null, null));
                Map<Long, List<CallRecord>> calls = callsOf(stack.admin(), run.started());
                SpendSummary summary = SpendSummary.of(
                        run.started(),
                        run.completed(),
                        calls,
                        stack.zeebe().instancesThatCaughtBpmnError(run.completed()),
                        run.inIncident());
                MoneyCheck money = MoneyCheck.of(stack.simulator().stats(), calls, stack.admin());
                QualitySummary quality = QualitySummary.of(calls);
                summary.printTable(out);
                quality.printTable(out);
                alerts.print(out);
                money.print(out);
                String dashboardUrl = dashboardLink(stack.admin());
                printServing(stack, data, dashboardUrl);
                if (json) {
                    Map<String, Object> all = new java.util.LinkedHashMap<>(summary.asJson());
                    all.put("dashboardUrl", dashboardUrl);
                    all.putAll(money.asJson());
                    all.putAll(quality.asJson());
                    all.putAll(alerts.asJson());
                    if (!chaosPlan.isEmpty()) {
                        all.put(
                                "chaos",
                                chaosPlan.steps().stream()
                                        .map(ChaosPlan.Step::spec)
                                        .toList());
                    }
                    out.println(PolicyClient.JSON.writeValueAsString(all));
                }
                out.flush();
                if (!exitWhenDone) {
                    CountDownLatch forever = new CountDownLatch(1);
                    Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
                    err.println("Serving until Ctrl-C.");
                    forever.await();
                }
                return summary.instancesCompleted() == phases.instances() ? 0 : 1;
            }
        }
    }

    /**
     * Waits (at most {@link #SPOOL_WAIT}) until the worker has posted every call it made without a decision: it does so
     * every few seconds once the policy server answers again.
     */
    private void awaitUnapprovedCallsRecorded(Path spool) throws IOException {
        long deadline = System.nanoTime() + SPOOL_WAIT.toNanos();
        while (true) {
            long waiting;
            try (Stream<Path> files = Files.exists(spool) ? Files.list(spool) : Stream.empty()) {
                waiting = files.filter(f -> f.getFileName().toString().endsWith(".json"))
                        .count();
            }
            if (waiting == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                err.println(waiting + " unapproved call(s) still wait in " + spool + " to be recorded");
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    /**
     * Waits until the QUALITY_DROP rule's window, counted back from now, starts after the quality faults switched on,
     * and the rule has been evaluated since: then the window holds only faulted answers and the 7 days before it the
     * baseline, and a drop the test finds has fired.
     */
    private void awaitQualityWindow(Instant faultsOn) {
        Instant due =
                faultsOn.plus(FaultPhases.QUALITY_DROP_WINDOW).plus(LocalStack.ALERT_EVALUATE_INTERVAL.multipliedBy(3));
        Duration left = Duration.between(Instant.now(), due);
        if (!left.isPositive()) {
            return;
        }
        err.printf(
                "  waiting %d s until the QUALITY_DROP window (%s) holds only the faulted instances%n",
                left.toSeconds() + 1, FaultPhases.QUALITY_DROP_WINDOW);
        while (Instant.now().isBefore(due)) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    /** The instances started, and of those the ones that completed and the ones waiting in an incident. */
    record Run(List<Long> started, Set<Long> completed, Set<Long> inIncident) {

        /** This run's instances and then {@code next}'s. */
        Run and(Run next) {
            List<Long> allStarted = new ArrayList<>(started);
            allStarted.addAll(next.started);
            Set<Long> allCompleted = new HashSet<>(completed);
            allCompleted.addAll(next.completed);
            Set<Long> allInIncident = new HashSet<>(inIncident);
            allInIncident.addAll(next.inIncident);
            return new Run(List.copyOf(allStarted), Set.copyOf(allCompleted), Set.copyOf(allInIncident));
        }
    }

    /**
     * Starts the sample instances {@code from} (inclusive) to {@code to} (exclusive) of the run, then follows the
     * engine's record stream until each has completed or waits in an incident (no model answered and the job's retries
     * are used up), or {@link #INSTANCE_WAIT} has passed. {@code bar} counts over the whole run.
     */
    private Run runInstances(
            CamundaClient zeebe,
            EmbeddedZeebe engine,
            List<SampleWorkflow> workflows,
            StandInPerson person,
            ProgressBar bar,
            int from,
            int to) {
        if (from >= to) {
            return new Run(List.of(), Set.of(), Set.of());
        }
        bar.show(from);
        List<Long> started = new ArrayList<>();
        for (int i = from; i < to; i++) {
            SampleWorkflow workflow = workflows.get(i % workflows.size());
            Map<String, Object> variables = new HashMap<>(workflow.sample(i / workflows.size()));
            Object userTaskAnswers = variables.remove(StandInPerson.SAMPLE_KEY);
            variables.put("project", LocalStack.SAMPLE_PROJECT);
            long key = zeebe.newCreateInstanceCommand()
                    .bpmnProcessId(workflow.bpmnProcessId())
                    .latestVersion()
                    .variables(variables)
                    .send()
                    .join()
                    .getProcessInstanceKey();
            person.answer(key, userTaskAnswers);
            started.add(key);
        }
        long deadline = System.nanoTime() + INSTANCE_WAIT.toNanos();
        Set<Long> completed = Set.of();
        Set<Long> inIncident = Set.of();
        while (true) {
            completed = engine.completedInstances(started);
            inIncident = engine.instancesWithOpenIncident(started);
            int ended = completed.size() + inIncident.size();
            bar.show(from + ended);
            if (ended >= started.size() || System.nanoTime() > deadline) {
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        for (Long key : started) {
            if (inIncident.contains(key)) {
                err.println("instance " + key + " waits in an incident (its AI task ran out of retries)");
            } else if (!completed.contains(key)) {
                err.println("instance " + key + " did not end within " + INSTANCE_WAIT.toMinutes() + " min");
            }
        }
        return new Run(started, completed, inIncident);
    }

    /**
     * Waits until the provider has answered a quarter of the instances (at least one call), so the chaos lands while
     * calls are in flight; at most a minute.
     */
    private void awaitFirstAnswers(LocalStack stack, int instances) {
        long wanted = Math.max(1, instances / 4);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            var stats = stack.simulator().stats();
            if (stats.answeredRequests() >= wanted) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private static Map<Long, List<CallRecord>> callsOf(PolicyClient admin, List<Long> instanceKeys) {
        Map<Long, List<CallRecord>> calls = new HashMap<>();
        for (Long key : instanceKeys) {
            calls.put(key, admin.callsOfProcessInstance(key));
        }
        return calls;
    }

    /** A one-time sign-in link to the dashboards for the sandbox admin; null (and said why) when none was issued. */
    private String dashboardLink(PolicyClient admin) {
        try {
            return admin.signInLink().url();
        } catch (RuntimeException e) {
            err.println("no dashboard sign-in link: " + e.getMessage());
            return null;
        }
    }

    private void printServing(LocalStack stack, Path data, String dashboardUrl) {
        err.println();
        if (dashboardUrl != null) {
            err.println("Dashboards:   " + dashboardUrl);
            err.println("  (a one-time sign-in link for the sandbox admin, good for 15 minutes; later sign in at "
                    + stack.policyServerUri() + "/ui/login with the admin key)");
        }
        err.println("Policy API:   " + stack.policyServerUri() + "/api/v1   (admin key in " + data.resolve("admin.key")
                + ")");
        err.println("  e.g. curl -H \"Authorization: Bearer $(cat " + data.resolve("admin.key") + ")\" "
                + stack.policyServerUri() + "/api/v1/models/openai/gpt-4o-mini");
        err.println("Zeebe gRPC:   " + stack.zeebe().grpcAddress());
        err.println("Simulator:    " + stack.simulator().baseUri());
    }

    /**
     * One deployable workflow with its sample variables; {@code startedByMessage} when its start event waits for a
     * message (the budget incident process, started by an alert), so the sandbox deploys it but starts no samples.
     */
    record SampleWorkflow(
            Path bpmnFile, String bpmnProcessId, List<Map<String, Object>> samples, boolean startedByMessage) {

        Map<String, Object> sample(int n) {
            return samples.isEmpty() ? Map.of() : samples.get(n % samples.size());
        }

        static List<SampleWorkflow> loadAll(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("BPMN folder not found: " + dir);
            }
            List<SampleWorkflow> all = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path bpmn : files.filter(f -> f.toString().endsWith(".bpmn"))
                        .sorted()
                        .toList()) {
                    String name = bpmn.getFileName().toString().replaceFirst("\\.bpmn$", "");
                    Path samplesFile = dir.resolve(name + ".samples.json");
                    List<Map<String, Object>> samples = Files.isRegularFile(samplesFile)
                            ? PolicyClient.JSON.readValue(samplesFile.toFile(), new TypeReference<>() {})
                            : List.of();
                    String xml = Files.readString(bpmn);
                    all.add(new SampleWorkflow(bpmn, processId(bpmn), samples, startedByMessage(xml)));
                }
            }
            if (all.isEmpty()) {
                throw new IllegalStateException("no .bpmn files in " + dir);
            }
            return all;
        }

        /** Whether the process's first start event (its own, not an event subprocess's) is a message start event. */
        static boolean startedByMessage(String xml) {
            java.util.regex.Matcher start = java.util.regex.Pattern.compile(
                            "<bpmn:startEvent\\b[^>]*?(/>|>(.*?)</bpmn:startEvent>)", java.util.regex.Pattern.DOTALL)
                    .matcher(xml);
            return start.find() && start.group(2) != null && start.group(2).contains("messageEventDefinition");
        }

        private static String processId(Path bpmn) throws IOException {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<bpmn:process id=\"([^\"]+)\"")
                    .matcher(Files.readString(bpmn));
            if (!m.find()) {
                throw new IllegalStateException("no process id in " + bpmn);
            }
            return m.group(1);
        }
    }

    /** A one-line progress bar redrawn in place on the terminal. */
    static final class ProgressBar {
        private final PrintStream stream;
        private final int total;

        ProgressBar(PrintStream stream, int total) {
            this.stream = stream;
            this.total = total;
        }

        private final boolean terminal = System.console() != null;
        private int lastDecile = -1;

        synchronized void show(int done) {
            if (!terminal) {
                // a log file or pipe gets one line per 10 % instead of carriage-return redraws
                int decile = total == 0 ? 10 : done * 10 / total;
                if (decile != lastDecile) {
                    lastDecile = decile;
                    stream.println("  instances " + done + "/" + total);
                }
                return;
            }
            int width = 30;
            int filled = total == 0 ? width : (int) ((long) done * width / total);
            stream.print(
                    "\r  instances [" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total);
            stream.flush();
        }

        void finish() {
            if (terminal) {
                stream.println();
            }
        }
    }
}
