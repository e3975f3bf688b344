package io.aiops.policy.adapter.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.support.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** Two instances starting at once on a fresh database: Flyway's advisory lock lets exactly one migrate. */
class ConcurrentMigrationTest {

    @Test
    void twoConcurrentMigrationsApplyEachVersionOnce() throws Exception {
        String url = TestPostgres.freshDatabaseUrl();
        // every versioned migration on the classpath, so adding one does not change this test
        int versions = Flyway.configure()
                .dataSource(url, "postgres", null)
                .locations("classpath:db/migration")
                .load()
                .info()
                .pending()
                .length;
        assertThat(versions).isGreaterThanOrEqualTo(4);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MigrateResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return Flyway.configure()
                            .dataSource(url, "postgres", null)
                            .locations("classpath:db/migration")
                            .load()
                            .migrate();
                }));
            }
            start.countDown();
            int applied = 0;
            for (Future<MigrateResult> result : results) {
                MigrateResult migrate = result.get(60, TimeUnit.SECONDS);
                assertThat(migrate.success).isTrue();
                applied += migrate.migrationsExecuted;
            }
            assertThat(applied).isEqualTo(versions);
        } finally {
            pool.shutdownNow();
        }
        try (Connection connection = DriverManager.getConnection(url, "postgres", null);
                ResultSet history = connection
                        .createStatement()
                        .executeQuery(
                                "select count(*), bool_and(success) from flyway_schema_history where version is not null"); ) {
            history.next();
            assertThat(history.getInt(1)).isEqualTo(versions);
            assertThat(history.getBoolean(2)).isTrue();
        }
        try (Connection connection = DriverManager.getConnection(url, "postgres", null);
                ResultSet models = connection.createStatement().executeQuery("select count(*) from models")) {
            models.next();
            // the seeds of V4 at least; later migrations may add more
            assertThat(models.getInt(1)).isGreaterThanOrEqualTo(6);
        }
    }
}
