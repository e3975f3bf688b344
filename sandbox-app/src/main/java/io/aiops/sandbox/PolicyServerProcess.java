package io.aiops.sandbox;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the policy server the way operators do, as {@code java -jar} of its Spring Boot jar in its own process,
 * configured by environment variables, and waits until its health endpoint says UP.
 */
public final class PolicyServerProcess implements AutoCloseable {

  private final ProcessBuilder builder;
  private final URI baseUri;
  private final Path logFile;
  private final Path postgresDir;
  private volatile Process process;

  private PolicyServerProcess(ProcessBuilder builder, URI baseUri, Path logFile, Path postgresDir) {
    this.builder = builder;
    this.baseUri = baseUri;
    this.logFile = logFile;
    this.postgresDir = postgresDir;
  }

  /**
   * Starts the server jar with embedded PostgreSQL kept in {@code dataDir} (or the external database named in
   * {@code extraEnv}) and waits up to {@code startTimeout} for it to be healthy.
   */
  public static PolicyServerProcess start(
      Path jar, Path dataDir, Path logFile, String adminKey, Map<String, String> extraEnv, Duration startTimeout)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("policy-server jar not found at " + jar.toAbsolutePath()
          + " (build it with ./mvnw -DskipTests package -pl policy-service/policy-server -am)");
    }
    int port = freePort();
    Files.createDirectories(logFile.getParent());
    Files.createDirectories(dataDir);
    Path postgresDir = dataDir.resolve("postgres").toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Djava.io.tmpdir=" + dataDir.resolve("tmp").toAbsolutePath());
    command.add("-Daiops.db.embedded.data-dir=" + postgresDir);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    Files.createDirectories(dataDir.resolve("tmp"));
    // appended to: a restarted server writes after its predecessor
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().put("SERVER_PORT", Integer.toString(port));
    builder.environment().put("AIOPS_BOOTSTRAP_ADMIN_KEY", adminKey);
    builder.environment().putAll(extraEnv);
    Files.deleteIfExists(logFile);
    PolicyServerProcess server =
        new PolicyServerProcess(builder, URI.create("http://127.0.0.1:" + port), logFile, postgresDir);
    server.launch(startTimeout);
    return server;
  }

  /** Starts the process (again, on the same port and data) and waits until it is healthy. */
  public void launch(Duration startTimeout) throws IOException, InterruptedException {
    process = builder.start();
    try {
      awaitHealthy(startTimeout);
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
  }

  /**
   * Kills the server at once (SIGKILL), as a crashed host or an evicted pod: requests in flight are cut off. The
   * embedded PostgreSQL it started outlives it, so that is stopped as well (from its postmaster.pid), as it would go
   * with its host, leaving its data for the next start.
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    stopOrphanedPostgres();
  }

  /** Stops the server the way an operator does (SIGTERM): it finishes what is in flight and shuts down. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    stopOrphanedPostgres();
  }

  private void stopOrphanedPostgres() throws InterruptedException {
    Path pidFile = postgresDir.resolve("postmaster.pid");
    long pid;
    try {
      if (!Files.isRegularFile(pidFile)) {
        return;
      }
      pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
    } catch (IOException | RuntimeException unreadable) {
      return;
    }
    java.util.Optional<ProcessHandle> postgres = ProcessHandle.of(pid);
    if (postgres.isEmpty()) {
      return;
    }
    // SIGTERM: PostgreSQL's smart shutdown; its clients are gone with the server
    postgres.get().destroy();
    try {
      postgres.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      postgres.get().destroyForcibly();
    }
  }

  private void awaitHealthy(Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(baseUri.resolve("/actuator/health")).timeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "policy-server exited with code " + process.exitValue() + " during start-up; see " + logFile);
      }
      try {
        HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          return;
        }
      } catch (IOException notYetListening) {
        // the server is still starting
      }
      // waiting on a separate OS process to open its port: there is no event to block on
      Thread.sleep(200);
    }
    throw new IllegalStateException("policy-server not healthy after " + timeout + "; see " + logFile);
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
    Process process = this.process;
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
