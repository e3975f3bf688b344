package io.aiops.policy.catalog;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static io.aiops.policy.adapter.out.persistence.jooq.Tables.CATALOG_SEEDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.aiops.policy.adapter.in.schedule.CatalogSyncJob;
import io.aiops.policy.adapter.out.http.HttpPriceSource;
import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.application.port.in.CatalogUseCase;
import io.aiops.policy.application.port.in.RequestRejected;
import io.aiops.policy.domain.OutboundPolicy;
import io.aiops.policy.support.PolicyServerTest;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** The optional scheduled sync follows a genai-prices data.json from a file or a URL, all of it or nothing. */
class CatalogSyncTest extends PolicyServerTest {

    @Autowired
    private CatalogUseCase catalog;

    @TempDir
    private Path dir;

    private static final HttpPriceSource STRICT = new HttpPriceSource(OutboundPolicy.strict(), Duration.ofSeconds(5));

    /** A genai-prices data.json with one provider ({@code acme-src}) and models given as id, input, output per MTok. */
    private static String data(String... models) {
        StringBuilder json = new StringBuilder("[{\"id\": \"acme-src\", \"name\": \"Acme\", \"models\": [");
        for (int i = 0; i < models.length; i += 3) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"id\": \"")
                    .append(models[i])
                    .append("\", \"match\": {\"equals\": \"")
                    .append(models[i])
                    .append("\"}, \"prices\": {\"input_mtok\": ")
                    .append(models[i + 1])
                    .append(", \"output_mtok\": ")
                    .append(models[i + 2])
                    .append("}}");
        }
        return json.append("]}]").toString();
    }

    private CatalogSyncJob job(HttpPriceSource reader, String location, String provider) {
        return new CatalogSyncJob(catalog, reader, CLOCK, location, "acme-src:" + provider);
    }

    @Test
    void aSyncAppliesNewContentOnceFollowsItsOwnPricesAndKeepsAnOperatorsPrice() throws Exception {
        String provider = unique("synced");
        Path file = dir.resolve("data.json");
        CatalogSyncJob job = job(STRICT, file.toString(), provider);
        Files.writeString(file, data("m1", "1", "2"));

        Optional<CatalogImportResult> first = job.sync();

        assertThat(first).isPresent();
        assertThat(first.get().updated()).containsExactly(provider + "/m1");
        ModelPrice m1 = viewer.getModel(provider, "m1");
        assertThat(m1.inputPerToken()).isEqualByComparingTo("0.000001");
        assertThat(m1.source()).startsWith("genai-prices sync ").endsWith(" from " + file);
        // the same content again: nothing to do
        assertThat(job.sync()).isEmpty();

        admin.putModel(new ModelPrice(
                provider, "m2", new BigDecimal("0.000005"), new BigDecimal("0.00001"), null, null, null, null));
        Files.writeString(file, data("m1", "1.5", "2", "m2", "9", "9", "m3", "0.5", "1"));

        CatalogImportResult second = job.sync().orElseThrow();

        assertThat(second.updated()).containsExactlyInAnyOrder(provider + "/m1", provider + "/m3");
        assertThat(second.skipped()).anySatisfy(s -> assertThat(s).startsWith(provider + "/m2: kept the price"));
        assertThat(viewer.getModel(provider, "m1").inputPerToken()).isEqualByComparingTo("0.0000015");
        assertThat(viewer.getModel(provider, "m2").inputPerToken()).isEqualByComparingTo("0.000005");
        assertThat(second.changes())
                .contains(new CatalogImportResult.PriceChange(
                        provider + "/m1", "inputPerToken", "0.000001", "0.0000015"));
        // one change set per applied content, by the service itself
        assertThat(db.fetchCount(
                        AUDIT_ENTRIES,
                        AUDIT_ENTRIES
                                .ACTOR_NAME
                                .eq("system")
                                .and(AUDIT_ENTRIES.PAYLOAD.contains("catalog-change-set"))
                                .and(AUDIT_ENTRIES.PAYLOAD.contains(provider + "/m1"))))
                .isEqualTo(2);
    }

    @Test
    void contentThatCameBackIsFollowedAgainAndAPutCannotPassForASync() throws Exception {
        String provider = unique("reverted");
        Path file = dir.resolve("data.json");
        CatalogSyncJob job = job(STRICT, file.toString(), provider);
        Files.writeString(file, data("m1", "1", "2"));
        job.sync();
        Files.writeString(file, data("m1", "3", "2"));
        job.sync();

        Files.writeString(file, data("m1", "1", "2"));
        assertThat(job.sync()).isPresent();

        assertThat(viewer.getModel(provider, "m1").inputPerToken()).isEqualByComparingTo("0.000001");
        // a price read back and put by hand keeps no sync's name: the next sync leaves it alone
        ModelPrice read = viewer.getModel(provider, "m1");
        ModelPrice edited = admin.putModel(new ModelPrice(
                provider,
                "m1",
                new BigDecimal("0.0000009"),
                read.outputPerToken(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                read.source(),
                null,
                null,
                null,
                null,
                null,
                null));
        assertThat(edited.source()).startsWith("set by ");
        Files.writeString(file, data("m1", "5", "2"));
        assertThat(job.sync().orElseThrow().skipped())
                .anySatisfy(s -> assertThat(s).startsWith(provider + "/m1: kept"));
        assertThat(viewer.getModel(provider, "m1").inputPerToken()).isEqualByComparingTo("0.0000009");
    }

    @Test
    void aMatchRuleThatBacktracksRefusesTheSource() throws Exception {
        String provider = unique("redos");
        admin.putModel(new ModelPrice(
                provider,
                "a".repeat(40) + "!",
                new BigDecimal("0.000001"),
                new BigDecimal("0.000002"),
                null,
                null,
                null,
                null));
        Path file = dir.resolve("data.json");
        Files.writeString(
                file,
                "[{\"id\": \"acme-src\", \"name\": \"Acme\", \"models\": [{\"id\": \"m\", \"match\":"
                        + " {\"regex\": \"(.*a){12}$\"}, \"prices\": {\"input_mtok\": 1, \"output_mtok\": 2}}]}]");

        assertThatThrownBy(() -> job(STRICT, file.toString(), provider).sync())
                .isInstanceOf(RequestRejected.class)
                .hasMessageContaining("[0].models[0].match.regex backtracks too much");
    }

    @Test
    void aMalformedSourceChangesNothingAndNamesItsFirstBadEntry() throws Exception {
        String provider = unique("malformed");
        Path file = dir.resolve("data.json");
        Files.writeString(file, data("ok", "1", "2", "bad", "\"cheap\"", "2"));
        CatalogSyncJob job = job(STRICT, file.toString(), provider);

        assertThatThrownBy(job::sync)
                .isInstanceOf(RequestRejected.class)
                .hasMessageContaining("[0].models[1].prices.input_mtok");

        assertThat(catalog.models()).noneMatch(m -> m.provider().equals(provider));
        assertThat(db.fetchCount(CATALOG_SEEDS, CATALOG_SEEDS.SOURCE.contains(file.toString())))
                .isZero();
        assertThatThrownBy(() -> job(STRICT, dir.resolve("missing.json").toString(), provider)
                        .sync())
                .isInstanceOf(IOException.class);
    }

    @Test
    void aUrlIsReadOnlyWhereTheOutboundPolicyAllowsIt() throws Exception {
        String provider = unique("fetched");
        byte[] body = data("m1", "3", "4").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/data.json", exchange -> {
            exchange.sendResponseHeaders(200, 0); // no length: sent chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/data.json";

            assertThatThrownBy(() -> job(STRICT, url, provider).sync())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("refused by the outbound policy");

            OutboundPolicy allowLoopback = new OutboundPolicy(true, List.of("127.0.0.1"), InetAddress::getAllByName);
            CatalogImportResult result = job(new HttpPriceSource(allowLoopback, Duration.ofSeconds(5)), url, provider)
                    .sync()
                    .orElseThrow();
            assertThat(result.updated()).containsExactly(provider + "/m1");
            assertThat(viewer.getModel(provider, "m1").outputPerToken()).isEqualByComparingTo("0.000004");
        } finally {
            server.stop(0);
        }
    }
}
