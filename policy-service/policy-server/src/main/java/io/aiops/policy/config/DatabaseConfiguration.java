package io.aiops.policy.config;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connects to PostgreSQL: the server named by {@code aiops.db.url} (AIOPS_DB_URL), or else an embedded PostgreSQL
 * whose data directory is kept between runs. Flyway (Spring Boot's auto-configuration) migrates it on start, as the
 * migration role when one is configured (always with the embedded server): the service then serves requests as a
 * runtime role that the migrations' {@code afterMigrate} step creates if missing and grants only what it needs.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConfiguration.class);

    /** The database to connect to, plus the embedded server when this process runs one. */
    public static final class PostgresLocation implements AutoCloseable {

        private final String jdbcUrl;
        private final String user;
        private final String password;
        private final String migrationUser;
        private final String migrationPassword;
        private final EmbeddedPostgres embedded;

        private PostgresLocation(
                String jdbcUrl,
                String user,
                String password,
                String migrationUser,
                String migrationPassword,
                EmbeddedPostgres embedded) {
            this.jdbcUrl = jdbcUrl;
            this.user = user;
            this.password = password;
            this.migrationUser = migrationUser;
            this.migrationPassword = migrationPassword;
            this.embedded = embedded;
        }

        /** Whether the schema's owner migrates and another role serves. */
        public boolean twoRoles() {
            return migrationUser != null && user != null && !migrationUser.equals(user);
        }

        public String jdbcUrl() {
            return jdbcUrl;
        }

        public boolean embedded() {
            return embedded != null;
        }

        @Override
        public void close() throws IOException {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    @Bean(destroyMethod = "close")
    PostgresLocation postgresLocation(PolicyServerProperties properties) {
        PolicyServerProperties.Db db = properties.db();
        if (db.external()) {
            LOG.info("Using external PostgreSQL at {}", PolicyServerProperties.withoutQuery(db.url()));
            String migrationUser = blankToNull(db.migrationUser());
            if (migrationUser != null && blankToNull(db.user()) == null) {
                throw new IllegalStateException(
                        "aiops.db.migration-user (AIOPS_DB_MIGRATION_USER) is set: set aiops.db.user"
                                + " (AIOPS_DB_USER) to the role that serves requests");
            }
            return new PostgresLocation(
                    db.url(),
                    blankToNull(db.user()),
                    blankToNull(db.password()),
                    migrationUser,
                    blankToNull(db.migrationPassword()),
                    null);
        }
        Path dataDir = db.embedded().dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    // keep the data: a restart must find the ledger and budgets where it left them
                    .setCleanDataDirectory(false)
                    .setPort(db.embedded().port())
                    .start();
            LOG.info("Started embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDir);
            // postgres owns the schema and migrates; the service serves as a role without DDL or audit rewrites
            String runtime = blankToNull(db.user()) == null ? EMBEDDED_RUNTIME_ROLE : db.user();
            return new PostgresLocation(
                    "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                    runtime,
                    null,
                    "postgres",
                    null,
                    postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
        }
    }

    /** The role the service serves requests as on the embedded PostgreSQL. */
    public static final String EMBEDDED_RUNTIME_ROLE = "aiops_runtime";

    /**
     * With two roles, Flyway connects as the migration role and tells the {@code afterMigrate} step which role to
     * create and grant ({@code aiops.runtime_role}, {@code aiops.runtime_password} session settings).
     */
    @Bean
    FlywayConfigurationCustomizer migrationRole(PostgresLocation location) {
        return configuration -> {
            if (!location.twoRoles()) {
                return;
            }
            configuration.dataSource(location.jdbcUrl, location.migrationUser, location.migrationPassword);
            configuration.initSql("SET aiops.runtime_role = " + literal(location.user)
                    + "; SET aiops.runtime_password = " + literal(location.password == null ? "" : location.password));
        };
    }

    /** A PostgreSQL string literal. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(PostgresLocation location) {
        DataSourceBuilder<HikariDataSource> builder =
                DataSourceBuilder.create().type(HikariDataSource.class).url(location.jdbcUrl);
        if (location.user != null) {
            builder.username(location.user);
        }
        if (location.password != null) {
            builder.password(location.password);
        }
        return builder.build();
    }
}
