package io.aiops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiops.policy.api.PolicyClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The sandbox's non-interactive mode, as scripts and CI use it: exit code and the JSON summary on the last line. */
class SandboxCommandTest {

  @Test
  void runsSampleInstancesAndPrintsTheSpendSummaryAsJsonOnTheLastLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path data = Path.of("target", "sandbox-test").toAbsolutePath();

    int exitCode =
        new CommandLine(new SandboxCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)))
            .execute("--instances", "4", "--exit-when-done", "--json", "--data-dir", data.toString());

    assertThat(exitCode).as("exit code; stderr:%n%s", err.toString(StandardCharsets.UTF_8)).isZero();
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\\R");
    JsonNode summary = PolicyClient.JSON.readTree(lines[lines.length - 1]);
    assertThat(summary.path("instancesCompleted").asInt()).isEqualTo(4);
    // every sample ticket is classified once; billing tickets get a drafted reply as a second call
    assertThat(summary.path("aiCalls").asInt()).isBetween(4, 8);
    BigDecimal total = summary.path("totalCostUsd").decimalValue();
    assertThat(total).isPositive();
    BigDecimal sumOfModels = BigDecimal.ZERO;
    for (JsonNode model : summary.path("byModel")) {
      sumOfModels = sumOfModels.add(model.path("costUsd").decimalValue());
    }
    assertThat(sumOfModels).isEqualByComparingTo(total);
    assertThat(summary.path("byModel").has("gpt-4o-mini")).isTrue();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Stack up in", "instances 4/4");
  }
}
