package io.aiops.policy.catalog;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.CatalogImportResult.PriceChange;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.ModelCatalogPage;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.support.PolicyServerTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Importing pydantic's genai-prices data (the snapshot shipped in the server, {@code catalog/genai-prices-data.json}):
 * a dry run lists exactly the price fields that differ and writes nothing; the import then writes them as new price
 * versions; a malformed source is refused whole, naming the JSON path of the first bad value. The catalog models the
 * tests compare live under providers of their own (mapped from the source's), so other tests' prices do not matter.
 */
class GenAiPricesImportTest extends PolicyServerTest {

    private static final String SNAPSHOT = snapshot();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aDryRunListsExactlyTheDifferingFieldsAndTheImportAppliesThem() throws Exception {
        String google = unique("google");
        String openai = unique("openai");
        // the catalog as it was seeded before: Gemini 2.5 Pro caching at $0.31 per million, Flash without a cache price
        admin.putModel(price(
                google, "gemini-2.5-pro", "0.00000125", "0.00001", "0.00000031", 200_000L, "0.0000025", "0.000015"));
        admin.putModel(price(google, "gemini-2.5-flash", "0.0000003", "0.0000025", null, null, null, null));
        admin.putModel(price(openai, "gpt-4o-mini", "0.00000015", "0.0000006", "0.000000075", null, null, null));
        String mapping = "openai:" + openai + ",google:" + google;

        CatalogImportResult dryRun = importSnapshot("providers=" + mapping + "&dryRun=true");

        assertThat(dryRun.dryRun()).isTrue();
        assertThat(dryRun.changes())
                .containsExactlyInAnyOrder(
                        new PriceChange(google + "/gemini-2.5-pro", "cacheReadPerToken", "0.00000031", "0.000000125"),
                        new PriceChange(google + "/gemini-2.5-pro", "cacheReadPerTokenAboveTier", null, "0.00000025"),
                        new PriceChange(google + "/gemini-2.5-flash", "cacheReadPerToken", null, "0.00000003"));
        assertThat(dryRun.updated())
                .containsExactlyInAnyOrder(google + "/gemini-2.5-pro", google + "/gemini-2.5-flash");
        assertThat(dryRun.unchanged()).containsExactly(openai + "/gpt-4o-mini");
        assertThat(dryRun.skipped())
                .contains(google + "/gemini-2.5-flash: text prices imported; not imported:"
                        + " input_audio_mtok, cache_audio_read_mtok (the catalog prices no audio tokens)");
        assertThat(admin.getModel(google, "gemini-2.5-pro").cacheReadPerToken()).isEqualByComparingTo("0.00000031");
        assertThat(admin.priceVersions(google, "gemini-2.5-flash")).hasSize(1);

        CatalogImportResult applied = importSnapshot("providers=" + mapping + "&source=genai-prices%2047df840");

        assertThat(applied.dryRun()).isFalse();
        assertThat(applied.changes()).isEqualTo(dryRun.changes());
        ModelPrice pro = admin.getModel(google, "gemini-2.5-pro");
        assertThat(pro.cacheReadPerToken()).isEqualByComparingTo("0.000000125");
        assertThat(pro.cacheReadPerTokenAboveTier()).isEqualByComparingTo("0.00000025");
        assertThat(pro.version()).isEqualTo(2);
        assertThat(pro.source()).isEqualTo("genai-prices 47df840");
        assertThat(admin.getModel(google, "gemini-2.5-flash").cacheReadPerToken())
                .isEqualByComparingTo("0.00000003");
        assertThat(db.fetchCount(
                        AUDIT_ENTRIES,
                        AUDIT_ENTRIES
                                .KIND
                                .eq("POLICY_CHANGE")
                                .and(AUDIT_ENTRIES.PAYLOAD.contains(google + "/gemini-2.5-"))))
                .isEqualTo(2 + 2);

        // applied once: the same source again changes nothing
        CatalogImportResult again = importSnapshot("providers=" + mapping);
        assertThat(again.changes()).isEmpty();
        assertThat(again.updated()).isEmpty();
    }

    @Test
    void aCachedCallAboveTheTierIsPricedAtTheTiersCachePrice() throws Exception {
        String google = unique("google");
        admin.putModel(price(
                google, "gemini-2.5-pro", "0.00000125", "0.00001", "0.00000031", 200_000L, "0.0000025", "0.000015"));
        importSnapshot("providers=google:" + google);
        admin.putRoutingPolicy(new RoutingPolicy(
                unique("route"), google, null, List.of(new RoutingPolicy.Target(google, "gemini-2.5-pro", null))));

        Decision decision = worker.decide(request(google, "summarise", 300_000, 100));
        OutcomeReceipt receipt = worker.reportOutcome(
                decision.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                google,
                                "gemini-2.5-pro",
                                300_000L,
                                100_000L,
                                0L,
                                100L,
                                0L,
                                900L,
                                CallStatus.SUCCEEDED,
                                null)),
                        null,
                        "long",
                        "short"));

        // above 200k input tokens: 200k uncached at $2.50, 100k cached at $0.25, 100 output at $15 per million
        assertThat(receipt.costUsd())
                .isEqualByComparingTo(
                        new BigDecimal("0.5").add(new BigDecimal("0.025")).add(new BigDecimal("0.0015")));
    }

    @Test
    void everyModelOfAProviderCanBeImportedAndTheCatalogIsListedAPageAtATime() throws Exception {
        String anthropic = unique("anthropic");

        CatalogImportResult all = importSnapshot("providers=anthropic:" + anthropic + "&models=all");

        ModelCatalogPage first = viewer.models(anthropic, null, 0, 5);
        assertThat(first.total()).isEqualTo(all.updated().size()).isGreaterThan(10);
        assertThat(first.models()).hasSize(5).isSortedAccordingTo(Comparator.comparing(ModelPrice::model));
        assertThat(first.models()).allSatisfy(m -> assertThat(m.source()).isEqualTo("price-table import"));
        ModelCatalogPage second = viewer.models(anthropic, null, 1, 5);
        assertThat(second.models()).doesNotContainAnyElementsOf(first.models());
        ModelCatalogPage beyond = viewer.models(anthropic, null, 1_000, 5);
        assertThat(beyond.models()).isEmpty();
        assertThat(beyond.total()).isEqualTo(first.total());

        ModelPrice sonnet = admin.getModel(anthropic, "claude-sonnet-4-5");
        admin.putModel(sonnet.withDeprecation(LocalDate.of(2026, 1, 1)));
        assertThat(viewer.models(anthropic, true, 0, 100).models())
                .extracting(ModelPrice::model)
                .containsExactly("claude-sonnet-4-5");
        assertThat(viewer.models(anthropic, false, 0, 100).total()).isEqualTo(first.total() - 1);

        HttpResponse<String> badSize = sendAsAdmin("GET", "/api/v1/models?size=0", null);
        assertThat(badSize.statusCode()).isEqualTo(400);
        assertThat(PolicyClient.JSON.readTree(badSize.body()).path("field").asText())
                .isEqualTo("size");
    }

    @Test
    void aMalformedSourceIsRefusedWholeNamingThePathOfTheFirstBadValue() throws Exception {
        String google = unique("google");
        admin.putModel(price(google, "gemini-2.5-flash", "0.0000003", "0.0000025", null, null, null, null));
        String broken = SNAPSHOT.replaceFirst("\"output_mtok\": 2.5", "\"output_mtok\": \"2.5 USD\"");
        assertThat(broken).isNotEqualTo(SNAPSHOT);

        HttpResponse<String> response =
                post("/api/v1/catalog/import?format=genai-prices&providers=google:" + google, broken);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = PolicyClient.JSON.readTree(response.body());
        assertThat(problem.path("field").asText()).matches("\\[\\d+]\\.models\\[\\d+]\\.prices\\.output_mtok");
        assertThat(admin.priceVersions(google, "gemini-2.5-flash")).hasSize(1);

        HttpResponse<String> notAList = post("/api/v1/catalog/import?format=genai-prices", "{\"openai\": {}}");
        assertThat(notAList.statusCode()).isEqualTo(400);
        HttpResponse<String> unknownFormat = post("/api/v1/catalog/import?format=openrouter", "[]");
        assertThat(unknownFormat.statusCode()).isEqualTo(400);
        assertThat(PolicyClient.JSON
                        .readTree(unknownFormat.body())
                        .path("field")
                        .asText())
                .isEqualTo("format");
    }

    private CatalogImportResult importSnapshot(String query) throws Exception {
        HttpResponse<String> response = post("/api/v1/catalog/import?format=genai-prices&" + query, SNAPSHOT);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return PolicyClient.JSON.readValue(response.body(), CatalogImportResult.class);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUri() + path))
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ModelPrice price(
            String provider,
            String model,
            String input,
            String output,
            String cacheRead,
            Long tier,
            String inputAbove,
            String outputAbove) {
        return new ModelPrice(
                provider,
                model,
                new BigDecimal(input),
                new BigDecimal(output),
                cacheRead == null ? null : new BigDecimal(cacheRead),
                null,
                null,
                null,
                tier,
                inputAbove == null ? null : new BigDecimal(inputAbove),
                outputAbove == null ? null : new BigDecimal(outputAbove),
                "seed",
                null,
                null,
                null,
                null);
    }

    private static String snapshot() {
        try (var in = GenAiPricesImportTest.class.getResourceAsStream("/catalog/genai-prices-data.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
