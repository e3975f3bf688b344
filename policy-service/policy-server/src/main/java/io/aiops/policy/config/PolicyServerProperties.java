package io.aiops.policy.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code aiops.*}; each can also be given as an environment variable (AIOPS_DB_URL,
 * AIOPS_BOOTSTRAP_ADMIN_KEY, AIOPS_RESERVATIONS_TTL, ...).
 */
@ConfigurationProperties("aiops")
public record PolicyServerProperties(
    String bootstrapAdminKey, Db db, Reservations reservations, Decisions decisions) {

  public PolicyServerProperties {
    db = db == null ? new Db(null, null, null, null) : db;
    reservations = reservations == null ? new Reservations(null, null, true) : reservations;
    decisions = decisions == null ? new Decisions(null, null) : decisions;
  }

  /** Where PostgreSQL is: an external server when {@code url} is set, otherwise an embedded one. */
  public record Db(String url, String user, String password, Embedded embedded) {

    public Db {
      embedded = embedded == null ? new Embedded(null, null) : embedded;
    }

    public boolean external() {
      return url != null && !url.isBlank();
    }
  }

  /** The embedded PostgreSQL: its data directory survives restarts; port 0 picks a free one. */
  public record Embedded(Path dataDir, Integer port) {

    public Embedded {
      dataDir = dataDir == null ? Path.of(".aiops-data", "postgres") : dataDir;
      port = port == null ? 0 : port;
    }
  }

  /** How long a reservation waits for its outcome, and how often expired ones are released. */
  public record Reservations(Duration ttl, Duration expiryInterval, @DefaultValue("true") boolean expiryJobEnabled) {

    public Reservations {
      ttl = ttl == null ? Duration.ofMinutes(15) : ttl;
      expiryInterval = expiryInterval == null ? Duration.ofMinutes(1) : expiryInterval;
    }
  }

  /** Defaults for requests that leave out their size and policies that leave out a timeout. */
  public record Decisions(Integer defaultMaxOutputTokens, Duration defaultTimeout) {

    public Decisions {
      defaultMaxOutputTokens = defaultMaxOutputTokens == null ? 1024 : defaultMaxOutputTokens;
      defaultTimeout = defaultTimeout == null ? Duration.ofSeconds(60) : defaultTimeout;
    }
  }
}
