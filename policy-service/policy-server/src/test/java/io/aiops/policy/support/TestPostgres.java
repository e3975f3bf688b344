package io.aiops.policy.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** One embedded PostgreSQL per test JVM, shared by every test that needs a database. */
public final class TestPostgres {

    private static EmbeddedPostgres postgres;

    private TestPostgres() {}

    public static synchronized EmbeddedPostgres instance() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    public static String jdbcUrl() {
        return instance().getJdbcUrl("postgres", "postgres");
    }

    /** The shared server's database without a user in the URL (the user is set apart). */
    public static String jdbcUrlWithoutUser() {
        return "jdbc:postgresql://localhost:" + instance().getPort() + "/postgres";
    }

    /** A new empty database on the shared server, for tests that need a schema of their own. */
    public static String freshDatabaseUrl() {
        String name = "db_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = instance().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return instance().getJdbcUrl("postgres", name);
    }
}
