package io.aiops.policy.support;

import io.aiops.policy.PolicyServerApplication;
import java.net.URI;
import java.time.Clock;
import java.util.function.Consumer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * One policy-server instance started in this JVM as its own Spring application on a free port, so several instances
 * can share one PostgreSQL the way replicas behind a load balancer do.
 */
public final class PolicyServerReplica implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private PolicyServerReplica(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts an instance against {@code jdbcUrl}, reading time from {@code clock}; the expiry job stays off. */
    public static PolicyServerReplica start(String name, String jdbcUrl, String adminKey, Clock clock) {
        return start(name, jdbcUrl, adminKey, clock, ctx -> {});
    }

    /** As {@link #start(String, String, String, Clock)}, with {@code customizer} applied to the context before it runs. */
    public static PolicyServerReplica start(
            String name, String jdbcUrl, String adminKey, Clock clock, Consumer<GenericApplicationContext> customizer) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PolicyServerApplication.class)
                .initializers(ctx -> {
                    GenericApplicationContext generic = (GenericApplicationContext) ctx;
                    generic.registerBean("replicaClock", Clock.class, () -> clock, bd -> bd.setPrimary(true));
                    customizer.accept(generic);
                })
                // command-line arguments outrank application.yml, whose values default to the environment
                .run(
                        "--server.port=0",
                        "--spring.jmx.enabled=false",
                        "--aiops.db.url=" + jdbcUrl,
                        "--aiops.db.user=postgres",
                        "--aiops.bootstrap-admin-key=" + adminKey,
                        "--aiops.reservations.expiry-job-enabled=false",
                        "--aiops.reservations.ttl=15m",
                        "--aiops.alerts.evaluation-enabled=false",
                        "--aiops.alerts.delivery-enabled=false",
                        "--spring.datasource.hikari.pool-name=" + name);
        return new PolicyServerReplica(context);
    }

    public URI baseUri() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://localhost:" + port);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
