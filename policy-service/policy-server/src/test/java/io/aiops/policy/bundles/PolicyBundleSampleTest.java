package io.aiops.policy.bundles;

import static io.aiops.policy.adapter.out.persistence.jooq.Tables.AUDIT_ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.PolicyBundle;
import io.aiops.policy.api.PolicyBundleDiff;
import io.aiops.policy.api.PolicyBundleDiff.Action;
import io.aiops.policy.api.PolicyClient;
import io.aiops.policy.support.MutableClock;
import io.aiops.policy.support.PolicyServerReplica;
import io.aiops.policy.support.TestPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sample bundle of the docs against a server on an empty database (only the shipped price snapshot, seeded at
 * start): what a new operator sees on the first dry run, the first apply and every apply after it. The tests run in
 * order: the first one needs the database as it was created.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyBundleSampleTest {

    private static final Path SAMPLE = Path.of("../../docs/policy-bundle.sample.yaml");
    private static final String ADMIN_KEY = "sample-admin-" + UUID.randomUUID();

    /** Every object of the sample, as the diff names it, in the order the bundle is applied. */
    private static final List<String> SAMPLE_OBJECTS = List.of(
            "model-price selfhosted/llama-3.3-70b-instruct",
            "model-price selfhosted/qwen2.5-7b-instruct",
            "routing-policy support-classify",
            "routing-policy contracts-summarise",
            "budget support-monthly",
            "budget contracts-daily",
            "alert-rule support-budget-thresholds",
            "alert-rule contracts-daily-spend",
            "alert-rule support-error-rate",
            "redaction support",
            "retention support",
            "policy-unavailable support",
            "judge support",
            "workflow-redaction support/support-ticket-triage",
            "redaction contracts",
            "retention contracts",
            "prompt ticket-classifier");

    private static PolicyServerReplica server;
    private static PolicyClient admin;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void serverOnAnEmptyDatabase() {
        server = PolicyServerReplica.start(
                "bundle-sample",
                TestPostgres.freshDatabaseUrl(),
                ADMIN_KEY,
                new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
        admin = new PolicyClient(server.baseUri(), ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void aDryRunListsEveryObjectAsCreatedAndApplyingTwiceChangesNothingTheSecondTime() throws Exception {
        String sample = Files.readString(SAMPLE);
        long auditEntriesBefore = auditEntries();

        PolicyBundleDiff dryRun = post(sample, "application/yaml", "dryRun=true");

        assertThat(names(dryRun)).containsExactlyElementsOf(SAMPLE_OBJECTS);
        assertThat(dryRun.objects()).allSatisfy(o -> assertThat(o.action()).isEqualTo(Action.CREATED));
        assertThat(dryRun.created()).isEqualTo(SAMPLE_OBJECTS.size());
        assertThat(dryRun.dryRun()).isTrue();
        assertThat(dryRun.changeSet()).isNull();
        // the dry run did all the work (the routing policies found the prices it put) and kept none of it
        PolicyBundle live = admin.currentPolicyBundle();
        assertThat(live.budgets()).isEmpty();
        assertThat(live.routingPolicies()).isEmpty();
        assertThat(live.alertRules()).isEmpty();
        assertThat(live.projects()).isEmpty();
        assertThat(live.prompts()).isEmpty();
        assertThat(live.prices()).noneMatch(p -> p.provider().equals("selfhosted"));
        assertThat(auditEntries()).isEqualTo(auditEntriesBefore);

        PolicyBundleDiff first = post(sample, "application/yaml", "dryRun=false");

        assertThat(names(first)).containsExactlyElementsOf(SAMPLE_OBJECTS);
        assertThat(first.created()).isEqualTo(SAMPLE_OBJECTS.size());
        assertThat(first.changeSet()).isNotNull();
        assertThat(admin.getBudget("support-monthly").budget().limitUsd()).isEqualByComparingTo("1500");
        assertThat(admin.getModel("selfhosted", "qwen2.5-7b-instruct").outputPerToken())
                .isEqualByComparingTo("0.00000006");
        assertThat(admin.prompt("ticket-classifier@production").template())
                .isEqualTo("Classify this ticket as billing, technical or account.\n\n{{ticket}}\n");
        assertThat(admin.getRedaction("support").customPatterns()).containsExactly("TICKET-\\d{6}");
        long auditEntriesAfterFirst = auditEntries();
        assertThat(auditEntriesAfterFirst).isGreaterThan(auditEntriesBefore);

        PolicyBundleDiff second = post(sample, "application/yaml", "dryRun=false");

        assertThat(names(second)).containsExactlyElementsOf(SAMPLE_OBJECTS);
        assertThat(second.objects()).allSatisfy(o -> assertThat(o.action()).isEqualTo(Action.UNCHANGED));
        assertThat(second.unchanged()).isEqualTo(SAMPLE_OBJECTS.size());
        assertThat(second.changeSet()).isNull();
        assertThat(admin.priceVersions("selfhosted", "qwen2.5-7b-instruct")).hasSize(1);
        assertThat(admin.promptVersions("ticket-classifier")).hasSize(1);
        assertThat(auditEntries()).as("nothing changed, nothing audited").isEqualTo(auditEntriesAfterFirst);
        assertThat(admin.verifyAudit("support").intact()).isTrue();
    }

    @Test
    @Order(2)
    void whatIsLiveExportsInBothFormatsAndAppliesBackUnchanged() throws Exception {
        post(Files.readString(SAMPLE), "application/yaml", "dryRun=false");

        HttpResponse<String> yaml = get("application/yaml");
        HttpResponse<String> json = get(null);

        assertThat(yaml.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
        assertThat(json.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(yaml.body()).contains("id: support-monthly", "Classify this ticket");
        for (HttpResponse<String> export : List.of(yaml, json)) {
            String type = export == yaml ? "application/yaml" : "application/json";
            PolicyBundleDiff back = post(export.body(), type, "dryRun=true");
            assertThat(back.objects())
                    .as(type)
                    .allSatisfy(o -> assertThat(o.action()).isEqualTo(Action.UNCHANGED));
            // the shipped snapshot's prices are live too, and say the same when read back
            assertThat(back.unchanged()).as(type).isGreaterThan(SAMPLE_OBJECTS.size() + 100);
            assertThat(names(back)).as(type).containsAll(SAMPLE_OBJECTS);
        }
    }

    private PolicyBundleDiff post(String body, String contentType, String query) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/policy-bundles?" + query))
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return PolicyClient.JSON.readValue(response.body(), PolicyBundleDiff.class);
    }

    private HttpResponse<String> get(String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/policy-bundles/current"))
                .header("Authorization", "Bearer " + ADMIN_KEY);
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static List<String> names(PolicyBundleDiff diff) {
        return diff.objects().stream().map(o -> o.kind() + " " + o.id()).toList();
    }

    private static long auditEntries() {
        return server.bean(DSLContext.class).fetchCount(AUDIT_ENTRIES);
    }
}
