package io.aiops.policy.config;

import io.aiops.policy.application.service.DecisionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code aiops.*}; each can also be given as an environment variable (AIOPS_DB_URL,
 * AIOPS_BOOTSTRAP_ADMIN_KEY, AIOPS_RESERVATIONS_TTL, ...).
 */
@ConfigurationProperties("aiops")
public record PolicyServerProperties(
        String bootstrapAdminKey,
        Db db,
        Reservations reservations,
        Decisions decisions,
        Audit audit,
        ApiKeys apiKeys,
        Limits limits,
        Alerts alerts,
        Outbound outbound) {

    public PolicyServerProperties {
        db = db == null ? new Db(null, null, null, null, null, null) : db;
        reservations = reservations == null ? new Reservations(null, null, true, null, null) : reservations;
        decisions = decisions == null ? new Decisions(null, null, null, null, null) : decisions;
        audit = audit == null ? new Audit(null, true, null, true, null, null, null, null) : audit;
        apiKeys = apiKeys == null ? new ApiKeys(null, null) : apiKeys;
        limits = limits == null ? new Limits(null, null) : limits;
        alerts = alerts == null ? new Alerts(null, true, null, true, null, null, null, null, null, null, null) : alerts;
        outbound = outbound == null ? new Outbound(false, null) : outbound;
    }

    /**
     * Where requests users configure (alert webhooks) may go: https only unless {@code allowHttp}; internal addresses
     * (loopback, private, link-local, unique-local, ...) only when {@code allowedHosts} lists the host name or a CIDR
     * range holding the address.
     */
    public record Outbound(@DefaultValue("false") boolean allowHttp, List<String> allowedHosts) {

        public Outbound {
            allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        }
    }

    /**
     * Alert evaluation and delivery: how often the scheduled rules are evaluated and the outbox worked off, how
     * deliveries are retried (attempt n failing waits initialBackoff × 2^(n-1), at most maxBackoff; FAILED after
     * maxAttempts), the channels' request timeout, the optional Zeebe channel, and the secret webhook signing keys are
     * derived from (empty: one is generated once and kept in the database).
     */
    public record Alerts(
            Duration evaluateInterval,
            @DefaultValue("true") boolean evaluationEnabled,
            Duration deliverInterval,
            @DefaultValue("true") boolean deliveryEnabled,
            Integer maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration requestTimeout,
            Integer batchSize,
            Zeebe zeebe,
            String signingSecret) {

        public Alerts {
            evaluateInterval = evaluateInterval == null ? Duration.ofMinutes(1) : evaluateInterval;
            deliverInterval = deliverInterval == null ? Duration.ofSeconds(10) : deliverInterval;
            maxAttempts = maxAttempts == null ? 8 : maxAttempts;
            initialBackoff = initialBackoff == null ? Duration.ofSeconds(30) : initialBackoff;
            maxBackoff = maxBackoff == null ? Duration.ofHours(1) : maxBackoff;
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
            batchSize = batchSize == null ? 50 : batchSize;
            zeebe = zeebe == null ? new Zeebe(null, null, null, null) : zeebe;
            signingSecret = signingSecret == null ? "" : signingSecret;
        }

        @Override
        public String toString() {
            return "Alerts[evaluateInterval=" + evaluateInterval + ", evaluationEnabled=" + evaluationEnabled
                    + ", deliverInterval=" + deliverInterval + ", deliveryEnabled=" + deliveryEnabled + ", maxAttempts="
                    + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                    + ", requestTimeout="
                    + requestTimeout + ", batchSize=" + batchSize + ", zeebe=" + zeebe + ", signingSecret="
                    + mask(signingSecret) + "]";
        }
    }

    /**
     * The orchestration cluster REST address alerts are published to as Zeebe messages (unset: no Zeebe channel), the
     * messages' time to live, their tenant, and an Authorization header value for the cluster.
     */
    public record Zeebe(String restAddress, Duration messageTtl, String tenantId, String authorization) {

        public Zeebe {
            messageTtl = messageTtl == null ? Duration.ofHours(1) : messageTtl;
        }

        public boolean configured() {
            return restAddress != null && !restAddress.isBlank();
        }

        @Override
        public String toString() {
            return "Zeebe[restAddress=" + restAddress + ", messageTtl=" + messageTtl + ", tenantId=" + tenantId
                    + ", authorization=" + mask(authorization) + "]";
        }
    }

    /** Secrets are masked: settings end up in logs and actuator output more easily than one expects. */
    @Override
    public String toString() {
        return "PolicyServerProperties[bootstrapAdminKey=" + mask(bootstrapAdminKey) + ", db=" + db + ", reservations="
                + reservations + ", decisions=" + decisions + ", audit=" + audit + ", apiKeys=" + apiKeys + ", limits="
                + limits + ", alerts=" + alerts + "]";
    }

    static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(none)" : "****";
    }

    /** A JDBC URL without its query string, which may carry a password. */
    static String withoutQuery(String url) {
        if (url == null) {
            return null;
        }
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?****";
    }

    /**
     * The scheduled chain verification and retention purge, and the secret redaction masks derive from (empty: one is
     * generated once and kept in the database).
     */
    /**
     * Audit verification and purge schedules, the redaction mask secret, and anchoring: {@code anchorKey} (env
     * {@code AIOPS_AUDIT_ANCHOR_KEY}; empty: off) signs the chain heads published every {@code anchorInterval} to
     * {@code anchorDirectory} and/or {@code anchorWebhookUrl}.
     */
    public record Audit(
            Duration verificationInterval,
            @DefaultValue("true") boolean verificationEnabled,
            Duration purgeInterval,
            @DefaultValue("true") boolean purgeEnabled,
            String maskSecret,
            String anchorKey,
            String anchorDirectory,
            String anchorWebhookUrl) {

        public Audit {
            verificationInterval = verificationInterval == null ? Duration.ofHours(1) : verificationInterval;
            purgeInterval = purgeInterval == null ? Duration.ofHours(1) : purgeInterval;
            maskSecret = maskSecret == null ? "" : maskSecret;
            anchorKey = anchorKey == null ? "" : anchorKey;
            anchorDirectory = anchorDirectory == null ? "" : anchorDirectory;
            anchorWebhookUrl = anchorWebhookUrl == null ? "" : anchorWebhookUrl;
        }

        @Override
        public String toString() {
            return "Audit[verificationInterval=" + verificationInterval + ", verificationEnabled=" + verificationEnabled
                    + ", purgeInterval=" + purgeInterval + ", purgeEnabled=" + purgeEnabled + ", maskSecret="
                    + mask(maskSecret) + ", anchorKey=" + mask(anchorKey) + ", anchorDirectory=" + anchorDirectory
                    + ", anchorWebhookUrl=" + anchorWebhookUrl + "]";
        }
    }

    /**
     * How long a recognised key is trusted without a database read (a key revoked on another instance stops working
     * here within this time), and how long a rotated key keeps working.
     */
    public record ApiKeys(Duration cacheTtl, Duration rotationGrace) {

        public ApiKeys {
            cacheTtl = cacheTtl == null ? Duration.ofSeconds(30) : cacheTtl;
            rotationGrace = rotationGrace == null ? Duration.ofHours(24) : rotationGrace;
        }
    }

    /** Size limits of requests and the failed-authentication limit per client address. */
    public record Limits(Integer maxBodyBytes, Integer failedAuthenticationsPerMinute) {

        public Limits {
            maxBodyBytes = maxBodyBytes == null ? 2 * 1024 * 1024 : maxBodyBytes;
            failedAuthenticationsPerMinute =
                    failedAuthenticationsPerMinute == null ? 20 : failedAuthenticationsPerMinute;
        }
    }

    /**
     * Where PostgreSQL is: an external server when {@code url} is set, otherwise an embedded one. {@code user} serves
     * requests; {@code migrationUser}, when set, owns the schema and runs the migrations (least privilege).
     */
    public record Db(
            String url,
            String user,
            String password,
            Embedded embedded,
            String migrationUser,
            String migrationPassword) {

        public Db {
            embedded = embedded == null ? new Embedded(null, null) : embedded;
        }

        public boolean external() {
            return url != null && !url.isBlank();
        }

        @Override
        public String toString() {
            return "Db[url=" + withoutQuery(url) + ", user=" + user + ", password=" + mask(password) + ", embedded="
                    + embedded + ", migrationUser=" + migrationUser + ", migrationPassword=" + mask(migrationPassword)
                    + "]";
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
    public record Reservations(
            Duration ttl,
            Duration expiryInterval,
            @DefaultValue("true") boolean expiryJobEnabled,
            Integer attemptsPerCandidate,
            Duration waitsPerCandidate) {

        public Reservations {
            ttl = ttl == null ? Duration.ofMinutes(15) : ttl;
            expiryInterval = expiryInterval == null ? Duration.ofMinutes(1) : expiryInterval;
            attemptsPerCandidate = attemptsPerCandidate == null
                    ? DecisionSettings.DEFAULT_ATTEMPTS_PER_CANDIDATE
                    : attemptsPerCandidate;
            waitsPerCandidate =
                    waitsPerCandidate == null ? DecisionSettings.DEFAULT_WAITS_PER_CANDIDATE : waitsPerCandidate;
        }
    }

    /**
     * Defaults for requests that leave out their size and policies that leave out a timeout, and how long a decision
     * may use routing policies, prices and budget definitions read before (changes made through another replica show
     * here within this time; zero reads them on every decision).
     */
    /**
     * {@code bookingMaxBatch}: most decisions stored and booked in one database call; {@code bookingConcurrency}: most
     * such calls at once per instance.
     */
    public record Decisions(
            Integer defaultMaxOutputTokens,
            Duration defaultTimeout,
            Duration definitionsCacheTtl,
            Integer bookingMaxBatch,
            Integer bookingConcurrency) {

        public Decisions {
            defaultMaxOutputTokens = defaultMaxOutputTokens == null ? 1024 : defaultMaxOutputTokens;
            defaultTimeout = defaultTimeout == null ? Duration.ofSeconds(60) : defaultTimeout;
            definitionsCacheTtl = definitionsCacheTtl == null ? Duration.ofSeconds(1) : definitionsCacheTtl;
            bookingMaxBatch = bookingMaxBatch == null ? 128 : bookingMaxBatch;
            bookingConcurrency = bookingConcurrency == null ? 1 : bookingConcurrency;
            if (bookingMaxBatch < 1 || bookingMaxBatch > 1000) {
                throw new IllegalArgumentException("aiops.decisions.booking-max-batch must be between 1 and 1000");
            }
            if (bookingConcurrency < 1) {
                throw new IllegalArgumentException("aiops.decisions.booking-concurrency must be at least 1");
            }
        }
    }
}
