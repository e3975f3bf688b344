package io.aiops.policy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.PolicyServerApplication;
import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.PolicyClient;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Without a database URL the server runs its own PostgreSQL, and a restart finds the data where it left it. */
class EmbeddedRestartTest {

    private static final String KEY = "restart-admin-key";

    @Test
    void restartKeepsBudgetsAndDecisions() throws Exception {
        Path dataDir = Files.createTempDirectory("aiops-restart-").resolve("postgres");
        Decision decision;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            PolicyClient client = client(first);
            client.putBudget(new BudgetDefinition(
                    "restart-budget", null, BudgetPeriod.WEEK, new BigDecimal("12.5"), BudgetMode.SOFT));
            decision = client.decide(new DecisionRequest(
                    "restart-key", "p", "proc", 1L, 77L, "task", 78L, null, "classify", null, 10, 10, Map.of()));
        }
        try (ConfigurableApplicationContext second = start(dataDir)) {
            PolicyClient client = client(second);
            assertThat(client.getBudget("restart-budget").budget().limitUsd()).isEqualByComparingTo("12.5");
            Decision again = client.decide(new DecisionRequest(
                    "restart-key", "p", "proc", 1L, 77L, "task", 78L, null, "classify", null, 10, 10, Map.of()));
            assertThat(again.decisionId()).isEqualTo(decision.decisionId());
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(PolicyServerApplication.class)
                .run(
                        "--server.port=0",
                        "--aiops.db.url=",
                        "--aiops.db.embedded.data-dir=" + dataDir,
                        "--aiops.bootstrap-admin-key=" + KEY,
                        "--aiops.reservations.expiry-job-enabled=false");
    }

    private static PolicyClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new PolicyClient(URI.create("http://localhost:" + port), KEY);
    }
}
