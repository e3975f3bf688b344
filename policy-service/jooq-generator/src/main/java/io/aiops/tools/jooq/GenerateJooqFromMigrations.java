package io.aiops.tools.jooq;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Logging;
import org.jooq.meta.jaxb.Target;

/**
 * Generates jOOQ classes from the real schema: applies the Flyway migrations to a throw-away embedded PostgreSQL and
 * reads the result with jOOQ's PostgreSQL meta model (so jsonb, arrays, check constraints and indexes come out as
 * PostgreSQL defines them). Skips all work when the migrations have not changed since the last run.
 *
 * <p>Arguments: {@code migrationsDir outputDir packageName workDir}.
 */
public final class GenerateJooqFromMigrations {

    /** Bump when the generator settings change, so existing outputs are regenerated. */
    private static final String GENERATOR_REVISION = "1";

    static final String INPUT_HASH_FILE = ".migrations.sha256";

    private GenerateJooqFromMigrations() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException(
                    "usage: GenerateJooqFromMigrations <migrationsDir> <outputDir> <packageName> <workDir>");
        }
        Result result = generate(Path.of(args[0]), Path.of(args[1]), args[2], Path.of(args[3]));
        System.out.println("[jooq-generator] " + result.message());
    }

    /** What a run did: regenerated or found the output up to date. */
    public record Result(boolean regenerated, String message) {}

    /** Regenerates {@code outputDir/packageName} unless the hash of the migrations matches the last run. */
    public static Result generate(Path migrationsDir, Path outputDir, String packageName, Path workDir)
            throws Exception {
        if (!Files.isDirectory(migrationsDir)) {
            throw new IllegalArgumentException("migrations directory not found: " + migrationsDir.toAbsolutePath());
        }
        String inputHash = inputHash(migrationsDir, packageName);
        Path hashFile = outputDir.resolve(INPUT_HASH_FILE);
        Path packageDir = outputDir.resolve(packageName.replace('.', File.separatorChar));
        if (Files.isDirectory(packageDir)
                && Files.isRegularFile(hashFile)
                && Files.readString(hashFile, StandardCharsets.UTF_8).trim().equals(inputHash)) {
            return new Result(false, "jOOQ sources up to date (" + inputHash.substring(0, 12) + "), skipped");
        }
        Files.createDirectories(outputDir);
        Files.deleteIfExists(hashFile);
        Path pgWorkDir = Files.createDirectories(workDir.toAbsolutePath());

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(pgWorkDir.toFile())
                .setDataDirectory(
                        pgWorkDir.resolve("data-" + ProcessHandle.current().pid()))
                .setCleanDataDirectory(true)
                .setRegisterShutdownHook(false)
                .start()) {
            Flyway.configure()
                    .dataSource(postgres.getPostgresDatabase())
                    .locations("filesystem:" + migrationsDir.toAbsolutePath())
                    .load()
                    .migrate();
            GenerationTool.generate(configuration(postgres.getJdbcUrl("postgres", "postgres"), outputDir, packageName));
        }
        Files.writeString(hashFile, inputHash + System.lineSeparator(), StandardCharsets.UTF_8);
        return new Result(true, "jOOQ sources generated into " + packageDir);
    }

    static Configuration configuration(String jdbcUrl, Path outputDir, String packageName) {
        return new Configuration()
                .withLogging(Logging.WARN)
                .withJdbc(new Jdbc()
                        .withDriver("org.postgresql.Driver")
                        .withUrl(jdbcUrl)
                        .withUser("postgres"))
                .withGenerator(new Generator()
                        .withDatabase(new Database()
                                .withName("org.jooq.meta.postgres.PostgresDatabase")
                                .withInputSchema("public")
                                .withIncludes(".*")
                                .withExcludes("flyway_schema_history"))
                        .withGenerate(new Generate()
                                .withRecords(true)
                                .withJavaTimeTypes(true)
                                .withGeneratedAnnotation(false)
                                .withComments(true))
                        .withTarget(new Target()
                                .withPackageName(packageName)
                                .withDirectory(outputDir.toAbsolutePath().toString())
                                .withClean(true)));
    }

    /** SHA-256 over the generator revision, the package name and every migration file (name and bytes, sorted). */
    static String inputHash(Path migrationsDir, String packageName) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update((GENERATOR_REVISION + "\n" + packageName + "\n").getBytes(StandardCharsets.UTF_8));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(migrationsDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            digest.update(migrationsDir.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try {
                digest.update(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
