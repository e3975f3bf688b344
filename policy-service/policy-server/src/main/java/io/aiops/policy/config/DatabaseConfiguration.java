package io.aiops.policy.config;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connects to PostgreSQL: the server named by {@code aiops.db.url} (AIOPS_DB_URL), or else an embedded PostgreSQL
 * whose data directory is kept between runs. Flyway (Spring Boot's auto-configuration) migrates it on start.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseConfiguration.class);

  /** The database to connect to, plus the embedded server when this process runs one. */
  public static final class PostgresLocation implements AutoCloseable {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private PostgresLocation(String jdbcUrl, String user, String password, EmbeddedPostgres embedded) {
      this.jdbcUrl = jdbcUrl;
      this.user = user;
      this.password = password;
      this.embedded = embedded;
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
      return new PostgresLocation(db.url(), blankToNull(db.user()), blankToNull(db.password()), null);
    }
    Path dataDir = db.embedded().dataDir().toAbsolutePath();
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              // keep the data: a restart must find the ledger and budgets where it left them
              .setCleanDataDirectory(false)
              .setPort(db.embedded().port())
              .start();
      LOG.info("Started embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDir);
      return new PostgresLocation(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null, postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
    }
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
