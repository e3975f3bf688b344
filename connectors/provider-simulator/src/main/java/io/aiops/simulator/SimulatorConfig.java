package io.aiops.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of one simulator. Build with {@link #builder()} or from command-line arguments with
 * {@link #fromArgs(String...)}.
 *
 * @param host address to bind ({@value #DEFAULT_HOST} by default)
 * @param port port to bind; 0 picks a free one
 * @param latency latency added to every response unless the model has its own
 * @param modelLatency latency per exact model name
 * @param faults faults active from the start
 * @param seed seed of the random generator behind rate faults
 * @param timeoutHold how long a {@link FaultKind#TIMEOUT} request is held at most (closing the simulator releases it)
 * @param retryAfterSeconds the {@code retry-after} sent with rate-limit faults
 * @param apiKey when set, requests must carry it as bearer token or {@code api-key} header, else 401
 * @param clock source of the {@code created} timestamps
 */
public record SimulatorConfig(
        String host,
        int port,
        Duration latency,
        Map<String, Duration> modelLatency,
        List<FaultRule> faults,
        long seed,
        Duration timeoutHold,
        int retryAfterSeconds,
        String apiKey,
        Clock clock) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_CLI_PORT = 8089;
    public static final long DEFAULT_SEED = 42L;
    public static final Duration DEFAULT_TIMEOUT_HOLD = Duration.ofSeconds(60);
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;

    static final String USAGE = """
      usage: java -jar provider-simulator.jar [options]
        --port N               port to listen on (default 8089; 0 = any free port)
        --host ADDR            address to bind (default 127.0.0.1; 0.0.0.0 for all interfaces)
        --latency-ms N         latency added to every response (default 0)
        --latency MODEL:MS     latency for one model (repeatable)
        --fault SPEC           fault to inject, MODEL:KIND[xN|@P%|@FROM..UNTIL] with KIND 429, 429-quota, 400,
                               500, 503, 529, timeout, malformed (not JSON), truncated (JSON cut off) or drop
                               (connection closed), MODEL * for all (repeatable), e.g. --fault '*:429@50%' or
                               --fault '*:503@2026-11-26T10:00:00Z..2026-11-26T10:05:00Z' (simulator clock, UTC)
        --seed N               seed for rate faults (default 42)
        --timeout-hold-ms N    how long a timeout fault holds the request (default 60000)
        --retry-after-s N      retry-after sent with 429 rate limits (default 1)
        --api-key KEY          require this key (bearer or api-key header)
        --help                 show this text
      """;

    public SimulatorConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(timeoutHold, "timeoutHold");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (latency.isNegative() || timeoutHold.isNegative() || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("latency, timeout hold and retry-after must not be negative");
        }
        modelLatency = Map.copyOf(modelLatency == null ? Map.of() : modelLatency);
        faults = List.copyOf(faults == null ? List.of() : faults);
    }

    /** A builder starting from the defaults (port 0, no latency, no faults). */
    public static Builder builder() {
        return new Builder();
    }

    /** Default settings with a free port. */
    public static SimulatorConfig defaults() {
        return builder().build();
    }

    /**
     * Parses command-line arguments ({@code --name value} or {@code --name=value}); the port defaults to
     * {@value #DEFAULT_CLI_PORT}.
     *
     * @throws IllegalArgumentException with a message naming the bad argument
     */
    public static SimulatorConfig fromArgs(String... args) {
        Builder b = builder().port(DEFAULT_CLI_PORT);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException("help requested");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                value = args[++i];
            }
            switch (name) {
                case "--port" -> b.port(parseInt(name, value));
                case "--host" -> b.host(value);
                case "--latency-ms" -> b.latency(Duration.ofMillis(parseInt(name, value)));
                case "--latency" -> {
                    int colon = value.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--latency expects MODEL:MS, got '" + value + "'");
                    }
                    b.modelLatency(
                            value.substring(0, colon), Duration.ofMillis(parseInt(name, value.substring(colon + 1))));
                }
                case "--fault" -> b.fault(FaultRule.parse(value));
                case "--seed" -> b.seed(parseLong(name, value));
                case "--timeout-hold-ms" -> b.timeoutHold(Duration.ofMillis(parseInt(name, value)));
                case "--retry-after-s" -> b.retryAfterSeconds(parseInt(name, value));
                case "--api-key" -> b.apiKey(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return b.build();
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a whole number, got '" + value + "'");
        }
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a whole number, got '" + value + "'");
        }
    }

    /** Fluent builder for {@link SimulatorConfig}. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port;
        private Duration latency = Duration.ZERO;
        private final Map<String, Duration> modelLatency = new LinkedHashMap<>();
        private final List<FaultRule> faults = new ArrayList<>();
        private long seed = DEFAULT_SEED;
        private Duration timeoutHold = DEFAULT_TIMEOUT_HOLD;
        private int retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS;
        private String apiKey;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        public Builder modelLatency(String model, Duration latency) {
            this.modelLatency.put(model, latency);
            return this;
        }

        public Builder fault(FaultRule rule) {
            this.faults.add(rule);
            return this;
        }

        public Builder fault(String spec) {
            return fault(FaultRule.parse(spec));
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder timeoutHold(Duration timeoutHold) {
            this.timeoutHold = timeoutHold;
            return this;
        }

        public Builder retryAfterSeconds(int seconds) {
            this.retryAfterSeconds = seconds;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(
                    host, port, latency, modelLatency, faults, seed, timeoutHold, retryAfterSeconds, apiKey, clock);
        }
    }
}
