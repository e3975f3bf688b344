package io.aiops.sandbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The sandbox's PostgreSQL: real PostgreSQL binaries from a Maven artifact, run by the sandbox itself with its data
 * in {@code <data-dir>/postgres}, so the policy server connects to it as to any external database and a chaos run can
 * restart the database alone, on the same port and data.
 */
final class SandboxDatabase implements AutoCloseable {

    private final Path dataDir;
    private EmbeddedPostgres postgres;
    private int port;

    private SandboxDatabase(Path dataDir) {
        this.dataDir = dataDir;
    }

    static SandboxDatabase start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        SandboxDatabase database = new SandboxDatabase(dataDir.toAbsolutePath());
        database.launch(0);
        return database;
    }

    private void launch(int wantedPort) throws IOException {
        EmbeddedPostgres.Builder builder =
                EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false);
        if (wantedPort > 0) {
            builder.setPort(wantedPort);
        }
        postgres = builder.start();
        port = postgres.getPort();
    }

    /** Stops PostgreSQL (fast shutdown: open connections are cut) and starts it again on the same port and data. */
    synchronized void restart() throws IOException {
        postgres.close();
        launch(port);
    }

    /** What the policy server needs to connect. */
    Map<String, String> serverEnvironment() {
        // least privilege, as in production: postgres owns the schema and migrates, the service serves as its own role
        return Map.of(
                "AIOPS_DB_URL", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "AIOPS_DB_MIGRATION_USER", "postgres",
                "AIOPS_DB_MIGRATION_PASSWORD", "",
                "AIOPS_DB_USER", "aiops_runtime",
                "AIOPS_DB_PASSWORD", "");
    }

    @Override
    public synchronized void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
