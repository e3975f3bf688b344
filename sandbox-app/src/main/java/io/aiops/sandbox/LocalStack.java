package io.aiops.sandbox;

import io.aiops.policy.api.ApiKeyRequest;
import io.aiops.policy.api.ApiRole;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.simulator.ProviderSimulator;
import io.aiops.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The whole product on one machine with embedded defaults: an in-memory Zeebe engine, the provider simulator, the
 * policy server as its own process (embedded PostgreSQL) and the worker runtime hosting the AI task connector.
 * Used by the sandbox command and by the end-to-end process tests.
 */
public final class LocalStack implements AutoCloseable {

    /** The project the sample workflows bill to. */
    public static final String SAMPLE_PROJECT = "support";

    /** The sample project's daily HARD budget: generous, so it shows whether the cap holds, not a denial. */
    public static final String SAMPLE_BUDGET = "support-daily";

    /** The first candidate of the sample classification routing: every sample instance calls it first. */
    public static final String PRIMARY_MODEL = "gpt-4o-mini";

    /**
     * The name of the ADMIN key the worker raises budgets with (the budget incident process): the audit trail names it
     * as the actor of each raise.
     */
    public static final String BUDGET_RAISE_KEY_NAME = "sandbox-budget-raise";

    /**
     * How often the policy server evaluates the scheduled alert rules (QUALITY_DROP, ERROR_RATE_ABOVE, ...): every
     * second, so a rule fires within a sandbox run rather than a minute after it.
     */
    public static final Duration ALERT_EVALUATE_INTERVAL = Duration.ofSeconds(1);

    private final EmbeddedZeebe zeebe;
    private final ProviderSimulator simulator;
    private final ServiceProcess policyServer;
    private final SandboxDatabase database;
    private final ServiceProcess workerRuntime;
    private final PolicyClient admin;
    private final String adminKey;
    private final AlertBridge alertBridge;

    private LocalStack(
            EmbeddedZeebe zeebe,
            ProviderSimulator simulator,
            ServiceProcess policyServer,
            SandboxDatabase database,
            ServiceProcess workerRuntime,
            PolicyClient admin,
            String adminKey,
            AlertBridge alertBridge) {
        this.zeebe = zeebe;
        this.simulator = simulator;
        this.policyServer = policyServer;
        this.database = database;
        this.workerRuntime = workerRuntime;
        this.admin = admin;
        this.adminKey = adminKey;
        this.alertBridge = alertBridge;
    }

    /**
     * Starts every part; {@code root} is the repository root (to find the policy-server jar), {@code dataDir} holds
     * the database, keys and logs. With {@code freshDatabase} the previous run's database is dropped first: the
     * in-memory engine starts its keys from the same values every run, so an old ledger would mix with the new one.
     * {@code progress} receives one line per started part.
     */
    public static LocalStack start(Path root, Path dataDir, boolean freshDatabase, Consumer<String> progress)
            throws Exception {
        return start(root, dataDir, freshDatabase, progress, Options.defaults());
    }

    /**
     * What a caller may change about the stack; {@link #defaults()} is the sandbox as shipped.
     *
     * @param workerProperties extra worker-runtime properties (e.g. {@code aiops.resilience.retry.initial-backoff}),
     *     applied over the stack's own
     * @param simulator the provider simulator's settings (port 0 picks a free one)
     */
    public record Options(Map<String, String> workerProperties, SimulatorConfig simulator) {

        public Options {
            workerProperties = Map.copyOf(workerProperties == null ? Map.of() : workerProperties);
            simulator = simulator == null ? SimulatorConfig.defaults() : simulator;
        }

        /** The sandbox as shipped. */
        public static Options defaults() {
            return new Options(Map.of(), SimulatorConfig.defaults());
        }

        /** These options with more worker properties. */
        public Options withWorkerProperties(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(workerProperties);
            all.putAll(more);
            return new Options(all, simulator);
        }
    }

    /** Starts every part as {@link #start(Path, Path, boolean, Consumer)} does, changed by {@code options}. */
    public static LocalStack start(
            Path root, Path dataDir, boolean freshDatabase, Consumer<String> progress, Options options)
            throws Exception {
        EmbeddedZeebe zeebe = null;
        ProviderSimulator simulator = null;
        ServiceProcess policyServer = null;
        SandboxDatabase database = null;
        AlertBridge alertBridge = null;
        try {
            long t0 = System.nanoTime();
            if (freshDatabase) {
                deleteRecursively(dataDir.resolve("postgres"));
                // unapproved calls of an earlier run belong to its database
                deleteRecursively(spoolDir(dataDir));
            }
            database = SandboxDatabase.start(dataDir.resolve("postgres"));
            // the engine first: the policy server publishes alerts as Zeebe messages through the bridge to it
            zeebe = EmbeddedZeebe.start();
            alertBridge = AlertBridge.start(zeebe, line -> progress.accept("alerts          " + line));
            String adminKey = adminKey(dataDir);
            Path jar = root.resolve("policy-service/policy-server/target/policy-server-0.1.0-SNAPSHOT-exec.jar");
            Map<String, String> serverEnvironment = new LinkedHashMap<>(database.serverEnvironment());
            serverEnvironment.put(
                    "AIOPS_ALERTS_ZEEBE_REST_ADDRESS", alertBridge.restAddress().toString());
            // fired alerts are worked off every second, so a budget alert starts its process without a long wait
            serverEnvironment.put("AIOPS_ALERTS_DELIVERINTERVAL", "1s");
            serverEnvironment.put("AIOPS_ALERTS_EVALUATEINTERVAL", ALERT_EVALUATE_INTERVAL.toSeconds() + "s");
            policyServer = ServiceProcess.policyServer(
                    jar,
                    dataDir,
                    dataDir.resolve("logs/policy-server.log"),
                    adminKey,
                    serverEnvironment,
                    Duration.ofSeconds(120));
            progress.accept(String.format(
                    "policy-server   %s  (%.1f s, log %s)", policyServer.baseUri(), secs(t0), policyServer.logFile()));
            progress.accept(String.format("zeebe engine    %s  (in-memory)", zeebe.grpcAddress()));

            simulator = ProviderSimulator.start(options.simulator());
            progress.accept(
                    String.format("simulator       %s  (OpenAI, Anthropic and Gemini formats)", simulator.baseUri()));

            PolicyClient admin = new PolicyClient(policyServer.baseUri(), adminKey);
            seedPolicies(admin);
            String workerKey = admin.createApiKey(new ApiKeyRequest("sandbox-worker", ApiRole.WORKER, List.of()))
                    .key();
            String budgetRaiseKey = admin.createApiKey(
                            new ApiKeyRequest(BUDGET_RAISE_KEY_NAME, ApiRole.ADMIN, List.of()))
                    .key();
            Map<String, String> workerProperties = new LinkedHashMap<>();
            workerProperties.put("aiops.budget-raise.enabled", "true");
            workerProperties.put("aiops.budget-raise.api-key", budgetRaiseKey);
            workerProperties.put(
                    "aiops.budget-raise.notify-url", alertBridge.noticesUrl().toString());
            workerProperties.putAll(options.workerProperties());

            long t1 = System.nanoTime();
            Path workerLog = dataDir.resolve("logs/worker-runtime.log");
            ServiceProcess worker = startWorkerRuntime(
                    root,
                    dataDir,
                    zeebe.grpcAddress(),
                    policyServer.baseUri(),
                    workerKey,
                    simulator.openAiBaseUri(),
                    workerLog,
                    workerProperties);
            progress.accept(String.format(
                    "worker-runtime  connector io.aiops:ai-task:1  (%.1f s, log %s)", secs(t1), workerLog));
            return new LocalStack(zeebe, simulator, policyServer, database, worker, admin, adminKey, alertBridge);
        } catch (Exception | Error e) {
            closeQuietly(simulator);
            closeQuietly(alertBridge);
            closeQuietly(zeebe);
            closeQuietly(policyServer);
            closeQuietly(database);
            throw e;
        }
    }

    /**
     * Routing of the sample workflows (a cheap model first for classification, a stronger one for drafting) and a
     * daily HARD budget over the sample project.
     */
    private static void seedPolicies(PolicyClient admin) {
        admin.putBudget(new BudgetDefinition(
                SAMPLE_BUDGET,
                new BudgetDefinition.BudgetScope(SAMPLE_PROJECT, null),
                BudgetDefinition.BudgetPeriod.DAY,
                new java.math.BigDecimal("10.00"),
                BudgetDefinition.BudgetMode.HARD));
        admin.putRoutingPolicy(new RoutingPolicy(
                "support-classify",
                SAMPLE_PROJECT,
                "classify",
                List.of(
                        new RoutingPolicy.Target("openai", PRIMARY_MODEL, 10_000L),
                        new RoutingPolicy.Target("openai", "gpt-4o", 10_000L))));
        // extraction and summaries: the cheap model first, the stronger one when it fails or its answer is turned away
        for (String taskKind : List.of("extract", "summarise")) {
            admin.putRoutingPolicy(new RoutingPolicy(
                    "support-" + taskKind,
                    SAMPLE_PROJECT,
                    taskKind,
                    List.of(
                            new RoutingPolicy.Target("openai", PRIMARY_MODEL, 20_000L),
                            new RoutingPolicy.Target("openai", "gpt-4o", 20_000L))));
        }
        admin.putRoutingPolicy(new RoutingPolicy(
                "support-generate",
                SAMPLE_PROJECT,
                "generate",
                List.of(
                        new RoutingPolicy.Target("openai", "gpt-4o", 20_000L),
                        new RoutingPolicy.Target("openai", "gpt-4o-mini", 20_000L))));
    }

    /**
     * The worker runtime as users deploy it, a process of its own next to the engine, so a chaos run can kill it.
     * {@code extraProperties} are applied over the stack's own.
     */
    private static ServiceProcess startWorkerRuntime(
            Path root,
            Path dataDir,
            URI grpcAddress,
            URI policyUri,
            String workerKey,
            URI simulatorUri,
            Path logFile,
            Map<String, String> extraProperties)
            throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        // the process's console is its log file; the terminal belongs to the sandbox
        properties.put("spring.main.banner-mode", "off");
        properties.put("camunda.client.mode", "self-managed");
        properties.put("camunda.client.grpc-address", grpcAddress.toString());
        properties.put("camunda.client.rest-address", "http://127.0.0.1:1");
        properties.put("camunda.client.prefer-rest-over-grpc", "false");
        // a job whose worker died is handed to the next one after this long: short, as the simulator answers at once
        properties.put("camunda.client.worker.defaults.timeout", "PT20S");
        properties.put("camunda.connector.polling.enabled", "false");
        properties.put("camunda.connector.webhook.enabled", "false");
        properties.put("aiops.policy.url", policyUri.toString());
        properties.put("aiops.policy.api-key", workerKey);
        properties.put("aiops.providers.openai.format", "openai");
        properties.put("aiops.providers.openai.base-url", simulatorUri.toString());
        properties.put("aiops.providers.openai.api-key", "sandbox-simulator-key");
        properties.put("aiops.fail-open.spool-dir", spoolDir(dataDir).toString());
        properties.putAll(extraProperties);
        Path jar = root.resolve("worker-runtime/target/worker-runtime-0.1.0-SNAPSHOT-exec.jar");
        return ServiceProcess.workerRuntime(jar, dataDir, logFile, properties, Duration.ofSeconds(120));
    }

    /** Where the worker keeps calls it made without a decision (FAIL_OPEN_CAPPED) until the service records them. */
    public static Path spoolDir(Path dataDir) {
        return dataDir.resolve("unapproved-calls");
    }

    private static String adminKey(Path dataDir) throws IOException {
        Path file = dataDir.resolve("admin.key");
        if (Files.isRegularFile(file)) {
            return Files.readString(file).trim();
        }
        Files.createDirectories(dataDir);
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String key = "aiops_admin_" + HexFormat.of().formatHex(bytes);
        Files.writeString(file, key + System.lineSeparator());
        return key;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public EmbeddedZeebe zeebe() {
        return zeebe;
    }

    public ProviderSimulator simulator() {
        return simulator;
    }

    public URI policyServerUri() {
        return policyServer.baseUri();
    }

    /** The policy server's database, for chaos runs that restart it. */
    SandboxDatabase database() {
        return database;
    }

    /** The worker runtime's process, for chaos runs that kill it. */
    public ServiceProcess workerRuntime() {
        return workerRuntime;
    }

    /** The policy server's process, for chaos runs that kill or stop it. */
    public ServiceProcess policyServer() {
        return policyServer;
    }

    /** A client with the admin key: catalog, budgets, routing, reports. */
    public PolicyClient admin() {
        return admin;
    }

    public String adminKey() {
        return adminKey;
    }

    /** Where alerts published as Zeebe messages and incident notices arrive. */
    public AlertBridge alertBridge() {
        return alertBridge;
    }

    @Override
    public void close() {
        closeQuietly(workerRuntime);
        closeQuietly(simulator);
        closeQuietly(alertBridge);
        closeQuietly(zeebe);
        closeQuietly(policyServer);
        closeQuietly(database);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println(
                    "warning: failed to stop " + closeable.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
