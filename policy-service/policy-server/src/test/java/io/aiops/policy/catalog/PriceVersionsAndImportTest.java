package io.aiops.policy.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.CallOutcome;
import io.aiops.policy.api.CallStatus;
import io.aiops.policy.api.CatalogImportResult;
import io.aiops.policy.api.Decision;
import io.aiops.policy.api.DecisionRequest;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.OutcomeReceipt;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Price versions that never rewrite history, long-context tiers, the open price-table import and the seeds. */
class PriceVersionsAndImportTest extends PolicyServerTest {

    @Test
    void aPriceChangeAppliesToLaterDecisionsAndNeverRepricesEarlierOnes() {
        String project = unique("pv");
        String model = "m-" + project;
        routeProjectTo(project, model, "0.000001", "0.000002");
        Decision before = worker.decide(request(project, "classify", 1000, 500));
        assertThat(before.reservation().amountUsd()).isEqualByComparingTo("0.002");

        CLOCK.advance(Duration.ofSeconds(1));
        ModelPrice raised = admin.putModel(new ModelPrice(
                "acme", model, new BigDecimal("0.00001"), new BigDecimal("0.00002"), null, null, null, null));
        assertThat(raised.version()).isEqualTo(2);
        assertThat(raised.effectiveFrom()).isEqualTo(CLOCK.instant());
        Decision after = worker.decide(request(project, "classify", 1000, 500));
        assertThat(after.reservation().amountUsd()).isEqualByComparingTo("0.02");

        // the outcome of the earlier decision arrives after the change: priced with the version of its decision
        OutcomeReceipt early = worker.reportOutcome(before.decisionId(), outcome(model, 1000, 500));
        OutcomeReceipt late = worker.reportOutcome(after.decisionId(), outcome(model, 1000, 500));
        assertThat(early.costUsd()).isEqualByComparingTo("0.002");
        assertThat(late.costUsd()).isEqualByComparingTo("0.02");

        // sending the same price again changes nothing; history keeps both versions, the ledger keeps its costs
        assertThat(admin.putModel(new ModelPrice(
                                "acme",
                                model,
                                new BigDecimal("0.000010"),
                                new BigDecimal("0.00002"),
                                null,
                                null,
                                null,
                                null))
                        .version())
                .isEqualTo(2);
        List<ModelPrice> versions = admin.priceVersions("acme", model);
        assertThat(versions).extracting(ModelPrice::version).containsExactly(1, 2);
        assertThat(versions.getFirst().inputPerToken()).isEqualByComparingTo("0.000001");
        assertThat(versions.get(1).inputPerToken()).isEqualByComparingTo("0.00001");
        assertThat(db.fetchValue("select cost_usd from calls where decision_id = ?", before.decisionId()))
                .isEqualTo(new BigDecimal("0.002000000000"));
    }

    @Test
    void inputAboveTheContextThresholdIsPricedAtTheTierPrice() {
        String project = unique("tier");
        String model = "claude-sonnet-4-5";
        Decision big = worker.decide(hinted(request(project, "summarise", 250_000, 100), model));
        // reserved as much as it can cost: every input token at the tier's dearest input price (a cache write, 7.5e-06)
        // and output at 2.25e-05; it costs plain input at the tier's 6e-06
        assertThat(big.reservation().amountUsd()).isEqualByComparingTo("1.87725");
        OutcomeReceipt bigCost = worker.reportOutcome(
                big.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "anthropic", model, 250_000L, 0L, 0L, 100L, 0L, 5L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        null,
                        "ok"));
        assertThat(bigCost.costUsd()).isEqualByComparingTo("1.50225");

        Decision small = worker.decide(hinted(request(project, "summarise", 100_000, 100), model));
        OutcomeReceipt smallCost = worker.reportOutcome(
                small.decisionId(),
                new CallOutcome(
                        List.of(new CallOutcome.Attempt(
                                "anthropic", model, 100_000L, 0L, 0L, 100L, 0L, 5L, CallStatus.SUCCEEDED, null)),
                        Map.of(),
                        null,
                        "ok"));
        assertThat(smallCost.costUsd()).isEqualByComparingTo("0.3015");
    }

    @Test
    void theSeededCatalogNamesItsSourceAndDate() {
        // a new database takes its prices from the shipped genai-prices snapshot, which names its commit and date
        String snapshot = "genai-prices 47df840 (2026-08-21), shipped snapshot";
        ModelPrice sonnet = viewer.priceVersions("anthropic", "claude-sonnet-4-5").stream()
                .filter(v -> snapshot.equals(v.source()))
                .findFirst()
                .orElseThrow();
        assertThat(sonnet.inputPerToken()).isEqualByComparingTo("0.000003");
        assertThat(sonnet.tierThresholdInputTokens()).isEqualTo(200_000L);
        assertThat(sonnet.cacheReadPerTokenAboveTier()).isEqualByComparingTo("0.0000006");
        // the hand-written seed's first version stays in the history, with its own source
        assertThat(viewer.priceVersions("anthropic", "claude-sonnet-4-5")
                        .getFirst()
                        .source())
                .isEqualTo("anthropic.com/pricing, 2025-10");
        assertThat(viewer.getModel("openai", "gpt-4.1").source()).isEqualTo(snapshot);
        assertThat(viewer.getModel("gemini", "gemini-2.5-pro").cacheReadPerToken())
                .isEqualByComparingTo("0.000000125");
        // the snapshot has no long-context tier for Claude Sonnet 4 (Anthropic's 1M-context beta): none is kept
        assertThat(viewer.getModel("anthropic", "claude-sonnet-4-20250514").tierThresholdInputTokens())
                .isNull();
    }

    @Test
    void importsTheOpenPriceTableExactlyAndOnlyTextModels() throws Exception {
        String provider = unique("lite");
        String table = """
        {
          "sample_spec": {"input_cost_per_token": 0, "mode": "one of: chat, embedding, ..."},
          "%1$s/alpha": {"litellm_provider": "%1$s", "mode": "chat", "input_cost_per_token": 3e-06,
            "output_cost_per_token": 1.5e-05, "cache_read_input_token_cost": 3e-07,
            "cache_creation_input_token_cost": 3.75e-06, "input_cost_per_token_above_200k_tokens": 6e-06,
            "output_cost_per_token_above_200k_tokens": 2.25e-05, "max_input_tokens": 1000000,
            "cache_creation_input_token_cost_above_1hr": 6e-06},
          "beta": {"litellm_provider": "%1$s", "mode": "chat", "input_cost_per_token": "0.00000015",
            "output_cost_per_token": 6e-07, "output_cost_per_reasoning_token": 1.2e-06,
            "deprecation_date": "2027-03-31", "input_cost_per_token_flex": 7.5e-08,
            "output_cost_per_token_flex": 3e-07, "input_cost_per_token_priority": 2.5e-07},
          "%1$s/embed": {"litellm_provider": "%1$s", "mode": "embedding", "input_cost_per_token": 1e-07,
            "output_cost_per_token": 0}
        }
        """.formatted(provider);

        HttpResponse<String> response = post("/api/v1/catalog/import?source=litellm%202026-11-20", table);

        assertThat(response.statusCode()).isEqualTo(200);
        CatalogImportResult result = PolicyClient.JSON.readValue(response.body(), CatalogImportResult.class);
        assertThat(result.updated()).containsExactlyInAnyOrder(provider + "/alpha", provider + "/beta");
        assertThat(result.skipped())
                .hasSize(2)
                .anyMatch(s -> s.startsWith("sample_spec"))
                .anyMatch(s -> s.contains("embedding"));
        ModelPrice alpha = viewer.getModel(provider, "alpha");
        assertThat(alpha.inputPerToken()).isEqualTo(new BigDecimal("0.000003"));
        assertThat(alpha.outputPerToken()).isEqualTo(new BigDecimal("0.000015"));
        assertThat(alpha.cacheReadPerToken()).isEqualTo(new BigDecimal("0.0000003"));
        assertThat(alpha.cacheWritePerToken()).isEqualTo(new BigDecimal("0.00000375"));
        assertThat(alpha.tierThresholdInputTokens()).isEqualTo(200_000L);
        assertThat(alpha.outputPerTokenAboveTier()).isEqualTo(new BigDecimal("0.0000225"));
        assertThat(alpha.source()).isEqualTo("litellm 2026-11-20");
        assertThat(alpha.cacheWrite1hPerToken()).isEqualTo(new BigDecimal("0.000006"));
        assertThat(alpha.serviceTiers()).isEmpty();
        ModelPrice beta = viewer.getModel(provider, "beta");
        assertThat(beta.inputPerToken()).isEqualTo(new BigDecimal("0.00000015"));
        assertThat(beta.reasoningPerToken()).isEqualTo(new BigDecimal("0.0000012"));
        assertThat(beta.deprecationDate()).isEqualTo(LocalDate.parse("2027-03-31"));
        assertThat(beta.serviceTiers()).containsOnlyKeys("flex", "priority");
        assertThat(beta.serviceTiers().get("flex"))
                .isEqualTo(new ModelPrice.TierPrices(new BigDecimal("0.000000075"), new BigDecimal("0.0000003"), null));
        assertThat(beta.serviceTiers().get("priority").inputPerToken()).isEqualTo(new BigDecimal("0.00000025"));

        // the same table again changes nothing; a changed price becomes version 2
        CatalogImportResult again = PolicyClient.JSON.readValue(
                post("/api/v1/catalog/import", table).body(), CatalogImportResult.class);
        assertThat(again.unchanged()).hasSize(2);
        assertThat(again.updated()).isEmpty();
        post("/api/v1/catalog/import", table.replace("\"0.00000015\"", "2e-07"));
        assertThat(viewer.getModel(provider, "beta").version()).isEqualTo(2);
        assertThat(viewer.getModel(provider, "alpha").version()).isEqualTo(1);
    }

    @Test
    void aPriceWithLettersRejectsTheWholeImportNamingTheModelKey() throws Exception {
        String provider = unique("bad");
        int models = db.fetchCount(db.selectFrom("models"));
        int versions = db.fetchCount(db.selectFrom("model_price_versions"));
        String table = """
        {"%1$s/good": {"litellm_provider": "%1$s", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
         "%1$s/bad": {"litellm_provider": "%1$s", "input_cost_per_token": "3 USD/M", "output_cost_per_token": 2e-06}}
        """.formatted(provider);

        HttpResponse<String> response = post("/api/v1/catalog/import", table);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(PolicyClient.JSON.readTree(response.body()).path("field").asText())
                .isEqualTo(provider + "/bad.input_cost_per_token");
        assertThat(db.fetchCount(db.selectFrom("models"))).isEqualTo(models);
        assertThat(db.fetchCount(db.selectFrom("model_price_versions"))).isEqualTo(versions);

        HttpResponse<String> negative = post("/api/v1/catalog/import", table.replace("\"3 USD/M\"", "-1e-06"));
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(PolicyClient.JSON.readTree(negative.body()).path("field").asText())
                .isEqualTo(provider + "/bad.input_cost_per_token");
        assertThat(db.fetchCount(db.selectFrom("models"))).isEqualTo(models);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return sendAsAdmin("POST", path, body);
    }

    private static CallOutcome outcome(String model, long input, long output) {
        return new CallOutcome(
                List.of(new CallOutcome.Attempt(
                        "acme", model, input, 0L, 0L, output, 0L, 5L, CallStatus.SUCCEEDED, null)),
                Map.of(),
                null,
                "ok");
    }

    private static DecisionRequest hinted(DecisionRequest r, String modelHint) {
        return new DecisionRequest(
                r.idempotencyKey(),
                r.project(),
                r.bpmnProcessId(),
                r.processDefinitionKey(),
                r.processInstanceKey(),
                r.elementId(),
                r.elementInstanceKey(),
                r.jobKey(),
                r.taskKind(),
                modelHint,
                r.estimatedInputTokens(),
                r.maxOutputTokens(),
                r.tags());
    }
}
