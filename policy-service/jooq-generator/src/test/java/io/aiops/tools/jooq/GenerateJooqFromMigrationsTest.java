package io.aiops.tools.jooq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateJooqFromMigrationsTest {

    @TempDir
    Path temp;

    @Test
    void generatesFromRealPostgresAndSkipsUntilAMigrationChanges() throws Exception {
        Path migrations = Files.createDirectories(temp.resolve("migrations"));
        Files.writeString(
                migrations.resolve("V1__orders.sql"),
                "CREATE TABLE orders (id bigint PRIMARY KEY, payload jsonb NOT NULL, tags text[] NOT NULL);");
        Path out = temp.resolve("out");
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "jooq-generator-test");

        var first = GenerateJooqFromMigrations.generate(migrations, out, "com.example.db", work);
        Path orders = out.resolve("com/example/db/tables/Orders.java");
        assertThat(first.regenerated()).isTrue();
        // PostgresDatabase reads the real types: jsonb stays JSONB, arrays stay arrays
        assertThat(Files.readString(orders))
                .contains("TableField<OrdersRecord, JSONB> PAYLOAD")
                .contains("TableField<OrdersRecord, String[]> TAGS");
        assertThat(out.resolve("com/example/db/tables/FlywaySchemaHistory.java"))
                .doesNotExist();

        assertThat(GenerateJooqFromMigrations.generate(migrations, out, "com.example.db", work)
                        .regenerated())
                .isFalse();

        Files.writeString(migrations.resolve("V2__customers.sql"), "CREATE TABLE customers (id bigint PRIMARY KEY);");
        assertThat(GenerateJooqFromMigrations.generate(migrations, out, "com.example.db", work)
                        .regenerated())
                .isTrue();
        assertThat(out.resolve("com/example/db/tables/Customers.java")).exists();
    }
}
