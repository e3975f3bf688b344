package io.aiops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.PolicyClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The sandbox's non-interactive mode, as scripts and CI use it: exit code and the JSON summary on the last line. */
class SandboxCommandTest {

    /** One finished sandbox run: its exit code, what it printed as the summary and what it printed as progress. */
    private record Run(int exitCode, String out, String err) {

        /** The JSON summary on the last line, after checking that the run ended well. */
        JsonNode summary() throws Exception {
            assertThat(exitCode).as("exit code; stderr:%n%s", err).isZero();
            String[] lines = out.strip().split("\\R");
            return PolicyClient.JSON.readTree(lines[lines.length - 1]);
        }
    }

    /** The alerts of {@code kind} the summary lists as fired during the run. */
    private static List<JsonNode> alertsFired(JsonNode summary, String kind) {
        assertThat(summary.path("alertsFired").isArray())
                .as("alertsFired in %s", summary)
                .isTrue();
        List<JsonNode> fired = new ArrayList<>();
        summary.path("alertsFired").forEach(alert -> {
            if (kind.equals(alert.path("kind").asText())) {
                fired.add(alert);
            }
        });
        return fired;
    }

    /** Runs {@code ./sandbox --exit-when-done --json} with {@code args}, its data in {@code target/<dataDir>}. */
    private static Run sandbox(String dataDir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(
                "--exit-when-done",
                "--json",
                "--data-dir",
                Path.of("target", dataDir).toAbsolutePath().toString()));
        all.addAll(List.of(args));
        int exitCode = new CommandLine(new SandboxCommand(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)))
                .execute(all.toArray(String[]::new));
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runsSampleInstancesAndPrintsTheSpendSummaryAsJsonOnTheLastLine() throws Exception {
        Run run = sandbox("sandbox-test", "--instances", "4");

        JsonNode summary = run.summary();
        assertThat(summary.path("instancesCompleted").asInt()).isEqualTo(4);
        // the samples take turns over the workflows started by a plain start event, in file order: a contract review
        // (review + summary), an invoice extraction (one call), a billing ticket (classification + drafted reply) and
        // a second contract review; the lawyers' sign-offs are given by the samples' stand-in answers
        assertThat(summary.path("aiCalls").asInt()).isEqualTo(2 + 1 + 2 + 2);
        // the budget incident process waits for a budget alert's message: deployed, not started by a sample
        assertThat(run.err())
                .contains(
                        "deployed ai-budget-incident (ai-budget-incident.bpmn): started by its message",
                        "deployed contract-clause-review (contract-clause-review.bpmn)",
                        "deployed invoice-extraction-review (invoice-extraction-review.bpmn)",
                        "deployed support-ticket-triage (support-ticket-triage.bpmn)");
        BigDecimal total = summary.path("totalCostUsd").decimalValue();
        assertThat(total).isPositive();
        BigDecimal sumOfModels = BigDecimal.ZERO;
        for (JsonNode model : summary.path("byModel")) {
            sumOfModels = sumOfModels.add(model.path("costUsd").decimalValue());
        }
        assertThat(sumOfModels).isEqualByComparingTo(total);
        assertThat(summary.path("byModel").has("gpt-4o-mini")).isTrue();
        // every answer got the worker's rule checks, and the simulator's answers pass them
        JsonNode quality = summary.path("qualityByModel").path("gpt-4o-mini");
        assertThat(quality.path("answers").asInt()).isPositive();
        assertThat(quality.path("checks").asInt())
                .isGreaterThanOrEqualTo(3 * quality.path("answers").asInt());
        assertThat(quality.path("failed").asInt()).isZero();
        assertThat(run.out()).contains("quality: workflow");
        assertThat(run.err()).contains("Stack up in", "instances 4/4");
        // a one-time sign-in link into the dashboards for the sandbox admin, printed and in the JSON
        String dashboard = summary.path("dashboardUrl").asText();
        assertThat(dashboard).matches("http://[^/]+/ui/sign-in-link\\?token=[A-Za-z0-9_-]{43}");
        assertThat(run.err()).contains("Dashboards:   " + dashboard);
        // the sandbox project's QUALITY_DROP rule was evaluated through the run; no quality fault, no drop
        assertThat(run.err()).contains("alert rule sandbox-quality-drop: QUALITY_DROP over the last 1 min");
        assertThat(alertsFired(summary, "QUALITY_DROP")).isEmpty();
    }

    /**
     * {@code --faults primary:off-schema@40%}: the first half of the instances run clean, then the primary model's
     * JSON answers ignore the schema four times in ten. Within the run the sandbox's QUALITY_DROP rule finds the drop
     * of the invoice extraction's schema check on the primary model (one-sided z-test at 1 %, at least 20 scored
     * answers a side), and the summary lists the alert with the figures that fired it; nothing the fault did not touch
     * is reported.
     */
    @Test
    void aQualityFaultAfterACleanBaselineFiresTheQualityDropAlertWithinTheRun() throws Exception {
        Run run = sandbox("sandbox-quality-drop", "--faults", "primary:off-schema@40%");

        JsonNode summary = run.summary();
        // no --instances: enough for the rule's minimum on both sides of the switch, 30 of each workflow
        assertThat(summary.path("instancesCompleted").asInt()).isEqualTo(180);
        assertThat(run.err()).contains("simulator fault gpt-4o-mini:off-schema@40% on after 90 baseline instances");
        // an off-schema answer is billed like any answer, and the one the gate turned away is in the ledger
        assertThat(summary.path("outcomesLost").asLong()).isZero();
        assertThat(summary.path("callsPaidTwice").asLong()).isZero();
        assertThat(summary.path("callsPaidAtProvider").asLong())
                .isEqualTo(summary.path("callsInLedger").asLong())
                .isGreaterThan(180);
        assertThat(summary.path("qualityByModel")
                        .path("gpt-4o-mini")
                        .path("failedByCheck")
                        .path("schema_valid")
                        .asInt())
                .isPositive();

        List<JsonNode> drops = alertsFired(summary, "QUALITY_DROP");
        List<JsonNode> invoice = drops.stream()
                .filter(a -> a.path("workflow").asText().equals("invoice-extraction-review"))
                .toList();
        assertThat(invoice).as("QUALITY_DROP alerts: %s", drops).isNotEmpty();
        for (JsonNode alert : invoice) {
            assertThat(alert.path("rule").asText()).isEqualTo("sandbox-quality-drop");
            assertThat(alert.path("element").asText()).isEqualTo("extract_invoice");
            assertThat(alert.path("model").asText()).isEqualTo(LocalStack.PRIMARY_MODEL);
            JsonNode figures = alert.path("figures");
            assertThat(figures.path("scoreName").asText()).isEqualTo("schema_valid");
            assertThat(figures.path("baselinePassRatePercent").asText()).isEqualTo("100.0");
            assertThat(new BigDecimal(figures.path("recentPassRatePercent").asText()))
                    .isLessThanOrEqualTo(new BigDecimal("90.0"));
            assertThat(figures.path("baselineScores").asInt()).isGreaterThanOrEqualTo(20);
            assertThat(figures.path("recentScores").asInt()).isGreaterThanOrEqualTo(20);
            assertThat(Double.parseDouble(figures.path("z").asText())).isLessThanOrEqualTo(-2.326);
        }
        // the contract summaries ask for prose, which an off-schema fault does not spoil, and the failover model
        // answers cleanly: 60 answers of each on both sides, and no alarm about them
        assertThat(drops)
                .noneMatch(a -> a.path("workflow").asText().equals("contract-clause-review"))
                .noneMatch(a -> a.path("model").asText().equals("gpt-4o"));
        assertThat(run.out())
                .containsPattern("alerts fired: \\d+")
                .contains("QUALITY_DROP  rule sandbox-quality-drop  workflow invoice-extraction-review  element"
                        + " extract_invoice  provider openai  model gpt-4o-mini");
    }

    @Test
    void withFaultsThePrimaryFailsOverOrEndsInTheModelledErrorAndTheSummarySaysSo() throws Exception {
        // the first request to the primary model is rejected as a bad prompt, every later one is overloaded
        Run run = sandbox("sandbox-chaos-test", "--instances", "4", "--faults", "primary:400x1,primary:503");

        JsonNode summary = run.summary();
        assertThat(summary.path("instancesCompleted").asInt()).isEqualTo(4);
        assertThat(summary.path("instancesWithBpmnError").asInt()).isEqualTo(1);
        // four tasks ask gpt-4o-mini first (two contract summaries, the invoice extraction, the ticket's
        // classification): the first request is rejected (its instance takes its AI_REQUEST_REJECTED boundary), the
        // other three failed over from gpt-4o-mini to gpt-4o; each tried the primary twice (one retry)
        assertThat(summary.path("failovers").asInt()).isEqualTo(3);
        JsonNode mini = summary.path("attemptsByModel").path("gpt-4o-mini");
        assertThat(mini.path("attempts").asInt()).isEqualTo(1 + 3 * 2);
        assertThat(mini.path("failed").asInt()).isEqualTo(mini.path("attempts").asInt());
        assertThat(run.out())
                .contains("4 instances completed (1 through a BPMN error)", "3 failed over to another model");
        assertThat(run.err()).contains("simulator fault gpt-4o-mini:400x1", "simulator fault gpt-4o-mini:503");
        // transport faults are on from the first request, and failing over is no drop in quality
        assertThat(run.err()).doesNotContain("baseline instances");
        assertThat(alertsFired(summary, "QUALITY_DROP")).isEmpty();
    }

    /**
     * The policy server or its database breaks while calls are in flight: every instance still completes, and every
     * call the provider answered is in the ledger exactly once (the simulator's own count against the ledger), the
     * HARD budget intact.
     */
    @ParameterizedTest
    @ValueSource(strings = {"policy-restart", "policy-outage:10s", "db-restart"})
    void noPaidCallIsLostOrPaidTwiceWhenThePolicyServerBreaksMidRun(String chaos) throws Exception {
        Run run = sandbox("sandbox-chaos-" + chaos.replace(':', '-'), "--instances", "16", "--chaos", chaos);

        JsonNode summary = run.summary();
        assertThat(run.err()).containsPattern("chaos: (policy server|PostgreSQL) back");
        assertThat(summary.path("instancesCompleted").asInt()).isEqualTo(16);
        assertThat(summary.path("callsPaidAtProvider").asLong())
                .isPositive()
                .isEqualTo(summary.path("callsInLedger").asLong());
        assertThat(summary.path("callsPaidTwice").asLong()).isZero();
        assertThat(summary.path("outcomesLost").asLong()).isZero();
        assertThat(summary.path("overspendUsd").decimalValue()).isEqualByComparingTo("0");
        assertThat(summary.path("chaos").get(0).asText()).isEqualTo(chaos);
        assertThat(alertsFired(summary, "QUALITY_DROP")).isEmpty();
    }

    /**
     * A project set to FAIL_OPEN_CAPPED keeps running while the policy server is down: the worker calls the last
     * decision's first model without a decision, keeps each call on disk, and records it (flagged unapproved) when the
     * server is back; every paid call ends in the ledger once.
     */
    @Test
    void aFailOpenProjectRunsThroughAnOutageAndEveryUnapprovedCallIsRecordedOnce() throws Exception {
        Run run = sandbox(
                "sandbox-chaos-fail-open",
                "--instances",
                "16",
                "--chaos",
                "policy-outage:10s",
                "--on-policy-unavailable",
                "FAIL_OPEN_CAPPED");

        JsonNode summary = run.summary();
        assertThat(run.err()).contains("onPolicyUnavailable FAIL_OPEN_CAPPED", "chaos: policy server back");
        assertThat(summary.path("instancesCompleted").asInt()).isEqualTo(16);
        assertThat(summary.path("unapprovedCalls").asLong()).isPositive();
        assertThat(summary.path("callsPaidAtProvider").asLong())
                .isEqualTo(summary.path("callsInLedger").asLong());
        assertThat(summary.path("callsPaidTwice").asLong()).isZero();
        assertThat(summary.path("outcomesLost").asLong()).isZero();
        assertThat(run.out()).contains("made without a decision (unapproved)");
    }

    /**
     * A worker killed with jobs in hand: every instance still completes and nothing else is lost or paid twice, but a
     * request the provider was answering at the moment of the kill never reaches a worker: it is paid (the provider
     * bills it), never recorded, and paid again by the job's next delivery. Nothing on the worker's side can know about
     * it; docs/reliability.md says so with the measured figures.
     */
    @Test
    void aKilledWorkerLosesOnlyTheCallsTheProviderWasAnsweringAtThatMoment() throws Exception {
        Run run = sandbox("sandbox-chaos-worker-kill", "--instances", "16", "--chaos", "worker-kill");

        JsonNode summary = run.summary();
        assertThat(run.err()).contains("chaos: worker runtime back");
        assertThat(summary.path("instancesCompleted").asInt()).isEqualTo(16);
        long lost = summary.path("outcomesLost").asLong();
        assertThat(summary.path("callsPaidAtProvider").asLong())
                .isEqualTo(summary.path("callsInLedger").asLong() + lost);
        // each lost call was paid again by its job's next delivery, and that is all that was paid twice
        assertThat(summary.path("callsPaidTwice").asLong()).isEqualTo(lost);
        assertThat(summary.path("overspendUsd").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void anUnknownChaosIsRefusedNamingTheKindsThereAre() {
        assertThatThrownBy(() -> ChaosPlan.parse(List.of("db-melt")))
                .hasMessageContaining("db-melt")
                .hasMessageContaining("policy-outage:<seconds>s");
        assertThat(ChaosPlan.parse(List.of("policy-outage:30s,policy-restart,worker-kill"))
                        .steps())
                .extracting(ChaosPlan.Step::kind)
                .containsExactly(
                        ChaosPlan.Kind.POLICY_OUTAGE, ChaosPlan.Kind.POLICY_RESTART, ChaosPlan.Kind.WORKER_KILL);
    }
}
