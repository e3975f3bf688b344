package io.aiops.policy.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.aiops.policy.api.BudgetDefinition;
import io.aiops.policy.api.BudgetDefinition.BudgetMode;
import io.aiops.policy.api.BudgetDefinition.BudgetPeriod;
import io.aiops.policy.api.BudgetDefinition.BudgetScope;
import io.aiops.policy.api.BudgetStatus;
import io.aiops.policy.api.ModelPrice;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.api.PolicyServiceException;
import io.aiops.policy.api.RoutingPolicy;
import io.aiops.policy.support.PolicyServerTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogBudgetRoutingApiTest extends PolicyServerTest {

    @Test
    void seededCatalogHasThePublishedPrices() {
        ModelPrice sonnet = viewer.getModel("anthropic", "claude-sonnet-4-20250514");
        assertThat(sonnet.inputPerToken()).isEqualByComparingTo("0.000003");
        assertThat(sonnet.cacheWritePerToken()).isEqualByComparingTo("0.00000375");
        assertThat(viewer.getModel("gemini", "gemini-2.0-flash").deprecationDate())
                .isEqualTo(LocalDate.parse("2026-06-01"));
    }

    @Test
    void modelPriceRoundTripsExactly() {
        String model = unique("model");
        ModelPrice price = new ModelPrice(
                "newvendor",
                model,
                new BigDecimal("0.000001123456"),
                new BigDecimal("0.0000015"),
                null,
                new BigDecimal("0.00000001"),
                null,
                LocalDate.parse("2027-01-31"));

        // version and effectiveFrom are the server's; the prices come back exactly as sent
        assertThat(admin.putModel(price))
                .usingRecursiveComparison()
                .ignoringFields("version", "effectiveFrom")
                .isEqualTo(price);
        assertThat(viewer.getModel("newvendor", model))
                .usingRecursiveComparison()
                .ignoringFields("version", "effectiveFrom")
                .isEqualTo(price);

        ModelPrice withoutCacheWrite = new ModelPrice(
                "newvendor",
                model,
                price.inputPerToken(),
                price.outputPerToken(),
                new BigDecimal("0.0000001"),
                null,
                null,
                null);
        admin.putModel(withoutCacheWrite);
        ModelPrice second = viewer.getModel("newvendor", model);
        assertThat(second)
                .usingRecursiveComparison()
                .ignoringFields("version", "effectiveFrom")
                .isEqualTo(withoutCacheWrite);
        assertThat(second.version()).isEqualTo(2);
    }

    @Test
    void invalidPricesAndUnknownModelsAreProblems() {
        PolicyServiceException negative = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putModel(new ModelPrice(
                        "acme", unique("m"), new BigDecimal("-0.1"), BigDecimal.ONE, null, null, null, null)));
        PolicyServiceException missing = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putModel(
                        new ModelPrice("acme", unique("m"), BigDecimal.ONE, null, null, null, null, null)));
        PolicyServiceException unknown =
                catchThrowableOfType(PolicyServiceException.class, () -> viewer.getModel("acme", "never-heard-of"));

        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.field()).isEqualTo("inputPerToken");
        assertThat(missing.field()).isEqualTo("outputPerToken");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void budgetStatusShowsTheCurrentWindow() {
        String id = unique("budget");
        BudgetDefinition definition = new BudgetDefinition(
                id,
                new BudgetScope(null, "ticket-triage"),
                BudgetPeriod.MONTH,
                new BigDecimal("250.50"),
                BudgetMode.SOFT);

        BudgetStatus status = admin.putBudget(definition);

        assertThat(status.budget().limitUsd()).isEqualByComparingTo("250.50");
        assertThat(status.budget().scope()).isEqualTo(new BudgetScope(null, "ticket-triage"));
        assertThat(status.windowStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(status.windowEnd()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(status.remainingUsd()).isEqualByComparingTo("250.50");
        assertThat(viewer.getBudget(id)).isEqualTo(status);
    }

    @Test
    void budgetLimitMustBePositive() {
        PolicyServiceException e = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putBudget(
                        new BudgetDefinition(unique("b"), null, BudgetPeriod.DAY, BigDecimal.ZERO, BudgetMode.HARD)));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("limitUsd");
    }

    @Test
    void routingPolicyRoundTripsAndMustNameCatalogModels() throws Exception {
        String id = unique("route");
        RoutingPolicy policy = new RoutingPolicy(
                id,
                unique("proj"),
                "extract",
                List.of(
                        new RoutingPolicy.Target("openai", "gpt-4o", 20_000L),
                        new RoutingPolicy.Target("anthropic", "claude-haiku-4-5", null)));

        assertThat(admin.putRoutingPolicy(policy)).isEqualTo(policy);

        PolicyServiceException unknown = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putRoutingPolicy(new RoutingPolicy(
                        unique("route"), null, null, List.of(new RoutingPolicy.Target("openai", "gpt-99", null)))));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.field()).isEqualTo("candidates[0].model");

        var response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(baseUri().resolve("/api/v1/routing-policies/" + id))
                                .header("Authorization", "Bearer " + ADMIN_KEY)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(PolicyClient.JSON.readValue(response.body(), RoutingPolicy.class))
                .isEqualTo(policy);
    }

    @Test
    void aRoutingPolicyNamesCandidatesOrABlockReasonNeverBothNorNeither() throws Exception {
        String blockId = unique("route");
        RoutingPolicy block = RoutingPolicy.blocking(blockId, unique("proj"), "generate", "  no AI for legal advice ");

        RoutingPolicy stored = admin.putRoutingPolicy(block);

        assertThat(stored.blockReason()).isEqualTo("no AI for legal advice");
        // the bound counts characters, not UTF-16 units: 500 emoji fit
        String emoji = "\uD83D\uDEAB".repeat(RoutingPolicy.MAX_BLOCK_REASON_CHARS);
        assertThat(admin.putRoutingPolicy(RoutingPolicy.blocking(unique("route"), null, "legal", emoji))
                        .blockReason())
                .isEqualTo(emoji);
        assertThat(stored.candidates()).isEmpty();
        assertThat(viewer.getRoutingPolicy(blockId)).isEqualTo(stored);

        String bothId = unique("route");
        PolicyServiceException both = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putRoutingPolicy(new RoutingPolicy(
                        bothId,
                        null,
                        null,
                        List.of(new RoutingPolicy.Target("openai", "gpt-4o", null)),
                        "no AI for legal advice")));
        String neitherId = unique("route");
        PolicyServiceException neither = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putRoutingPolicy(new RoutingPolicy(neitherId, null, null, List.of())));
        String controlId = unique("route");
        PolicyServiceException control = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putRoutingPolicy(RoutingPolicy.blocking(controlId, null, null, "no\u0000AI")));
        String surrogateId = unique("route");
        var surrogate = sendAsAdmin(
                "PUT",
                "/api/v1/routing-policies/" + surrogateId,
                "{\"id\":\"" + surrogateId + "\",\"candidates\":[],\"blockReason\":\"no \\ud800 AI\"}");
        PolicyServiceException tooLong = catchThrowableOfType(
                PolicyServiceException.class,
                () -> admin.putRoutingPolicy(RoutingPolicy.blocking(
                        unique("route"), null, null, "x".repeat(RoutingPolicy.MAX_BLOCK_REASON_CHARS + 1))));

        assertThat(both.status()).isEqualTo(400);
        assertThat(both.field()).isEqualTo("candidates");
        assertThat(both.getMessage()).contains("names no candidates");
        assertThat(neither.status()).isEqualTo(400);
        assertThat(neither.field()).isEqualTo("candidates");
        assertThat(neither.getMessage()).contains("blockReason");
        assertThat(control.field()).isEqualTo("blockReason");
        assertThat(surrogate.statusCode()).isEqualTo(400);
        assertThat(PolicyClient.JSON.readTree(surrogate.body()).path("field").asText())
                .isEqualTo("blockReason");
        assertThat(tooLong.field()).isEqualTo("blockReason");
        for (String refused : List.of(bothId, neitherId, controlId, surrogateId)) {
            assertThat(catchThrowableOfType(PolicyServiceException.class, () -> viewer.getRoutingPolicy(refused))
                            .status())
                    .isEqualTo(404);
        }
    }
}
