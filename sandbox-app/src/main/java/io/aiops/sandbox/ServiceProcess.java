package io.aiops.sandbox;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the stack's services run the way operators run it, as {@code java -jar} of its Spring Boot jar in a process
 * of its own: the policy server (configured by environment variables) and the worker runtime (by command-line
 * properties). It is started, waited for until its health endpoint says UP, and can be killed, stopped and started
 * again on the same port, which is what the sandbox's chaos runs do.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final ProcessBuilder builder;
    private final URI baseUri;
    private final Path logFile;
    private volatile Process process;

    private ServiceProcess(String name, ProcessBuilder builder, URI baseUri, Path logFile) {
        this.name = name;
        this.builder = builder;
        this.baseUri = baseUri;
        this.logFile = logFile;
    }

    /**
     * Starts the policy-server jar against the database named in {@code env} (AIOPS_DB_URL; without it, an embedded
     * PostgreSQL kept in {@code dataDir}) and waits up to {@code startTimeout} for it to be healthy.
     */
    public static ServiceProcess policyServer(
            Path jar, Path dataDir, Path logFile, String adminKey, Map<String, String> env, Duration startTimeout)
            throws IOException, InterruptedException {
        int port = freePort();
        Map<String, String> all = new java.util.LinkedHashMap<>(env);
        all.put("SERVER_PORT", Integer.toString(port));
        all.put("AIOPS_BOOTSTRAP_ADMIN_KEY", adminKey);
        // audit chain heads are published, signed with a key kept beside the database, not in it
        all.putIfAbsent("AIOPS_AUDIT_ANCHOR_KEY", anchorKey(dataDir));
        all.putIfAbsent(
                "AIOPS_AUDIT_ANCHOR_DIRECTORY",
                dataDir.resolve("audit-anchors").toAbsolutePath().toString());
        return start(
                "policy-server",
                jar,
                port,
                dataDir,
                List.of("-Daiops.db.embedded.data-dir="
                        + dataDir.resolve("postgres").toAbsolutePath()),
                List.of(),
                all,
                logFile,
                startTimeout);
    }

    /** The sandbox's audit anchor key: made once, kept in the data directory. */
    private static String anchorKey(Path dataDir) throws IOException {
        Path file = dataDir.resolve("audit-anchor.key");
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(dataDir);
            Files.writeString(file, HexFormat.of().formatHex(key));
        }
        return Files.readString(file).strip();
    }

    /** Starts the worker-runtime jar with {@code properties} (as command-line arguments) and waits until it is UP. */
    public static ServiceProcess workerRuntime(
            Path jar, Path dataDir, Path logFile, Map<String, String> properties, Duration startTimeout)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> args = new ArrayList<>();
        properties.forEach((key, value) -> args.add("--" + key + "=" + value));
        args.add("--server.port=" + port);
        return start("worker-runtime", jar, port, dataDir, List.of(), args, Map.of(), logFile, startTimeout);
    }

    private static ServiceProcess start(
            String name,
            Path jar,
            int port,
            Path dataDir,
            List<String> jvmOptions,
            List<String> args,
            Map<String, String> env,
            Path logFile,
            Duration startTimeout)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " jar not found at " + jar.toAbsolutePath()
                    + " (build it with ./mvnw -DskipTests package -pl sandbox-app -am)");
        }
        Files.createDirectories(logFile.getParent());
        Path tmp = dataDir.resolve("tmp").resolve(name);
        Files.createDirectories(tmp);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.io.tmpdir=" + tmp.toAbsolutePath());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        // appended to: a restarted service writes after its predecessor
        Files.deleteIfExists(logFile);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        ServiceProcess service = new ServiceProcess(name, builder, URI.create("http://127.0.0.1:" + port), logFile);
        service.launch(startTimeout);
        return service;
    }

    /** Starts the process (again, on the same port) and waits until it is healthy. */
    public void launch(Duration startTimeout) throws IOException, InterruptedException {
        process = builder.start();
        try {
            awaitHealthy(startTimeout);
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Kills the service at once (SIGKILL), as a crashed host or an evicted pod: work in flight is cut off. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops the service the way an operator does (SIGTERM): it finishes what is in flight and shuts down. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(baseUri.resolve("/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with code " + process.exitValue() + " during start-up; see " + logFile);
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the service is still starting
            }
            // waiting on a separate OS process to open its port: there is no event to block on
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not healthy after " + timeout + "; see " + logFile);
    }

    public URI baseUri() {
        return baseUri;
    }

    public Path logFile() {
        return logFile;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        Process running = this.process;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(20, TimeUnit.SECONDS)) {
                running.destroyForcibly();
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
