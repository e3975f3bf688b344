package io.aiops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.aiops.policy.api.AlertRule.AlertKind;
import io.aiops.policy.api.FiredAlert;
import io.aiops.policy.api.PolicyClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FiredAlertsTest {

    private static final FiredAlert QUALITY = alert(
            AlertKind.QUALITY_DROP,
            "sandbox-quality-drop",
            "2026-12-06T10:01:00Z",
            "project",
            "support",
            "bpmnProcessId",
            "invoice-extraction-review",
            "elementId",
            "extract_invoice",
            "provider",
            "openai",
            "model",
            "gpt-4o-mini",
            "scoreName",
            "schema_valid",
            "recentPassRatePercent",
            "63.3",
            "baselinePassRatePercent",
            "100.0",
            "z",
            "-3.71");

    private static final FiredAlert ERRORS = alert(
            AlertKind.ERROR_RATE_ABOVE,
            "errors",
            "2026-12-06T10:00:00Z",
            "project",
            "support",
            "provider",
            "openai",
            "model",
            "gpt-4o-mini",
            "attempts",
            "12",
            "failed",
            "12",
            "errorRatePercent",
            "100.0");

    @Test
    void everyKindIsListedInFiringOrderWithItsScopeAndFigures() throws Exception {
        FiredAlerts alerts = FiredAlerts.of(List.of(QUALITY, ERRORS));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> json =
                (List<Map<String, Object>>) alerts.asJson().get("alertsFired");
        assertThat(json).extracting(a -> a.get("kind")).containsExactly("ERROR_RATE_ABOVE", "QUALITY_DROP");
        assertThat(json.get(1))
                .containsEntry("rule", "sandbox-quality-drop")
                .containsEntry("workflow", "invoice-extraction-review")
                .containsEntry("element", "extract_invoice")
                .containsEntry("provider", "openai")
                .containsEntry("model", "gpt-4o-mini")
                .containsEntry(
                        "figures",
                        Map.of(
                                "scoreName", "schema_valid",
                                "recentPassRatePercent", "63.3",
                                "baselinePassRatePercent", "100.0",
                                "z", "-3.71"))
                .doesNotContainKey("project");
        assertThat(json.get(0)).doesNotContainKeys("workflow", "element");
        // it goes into the summary's one JSON line
        assertThat(PolicyClient.JSON.writeValueAsString(alerts.asJson())).contains("\"alertsFired\":[");

        String text = printed(alerts);
        assertThat(text)
                .contains("alerts fired: 2")
                .contains("QUALITY_DROP  rule sandbox-quality-drop  workflow invoice-extraction-review  element"
                        + " extract_invoice  provider openai  model gpt-4o-mini")
                .contains("baselinePassRatePercent=100.0  recentPassRatePercent=63.3  scoreName=schema_valid  z=-3.71")
                .contains("ERROR_RATE_ABOVE  rule errors  provider openai  model gpt-4o-mini");
        assertThat(text.indexOf("ERROR_RATE_ABOVE")).isLessThan(text.indexOf("QUALITY_DROP"));
    }

    @Test
    void noAlertIsSaidAndAnEmptyList() {
        FiredAlerts none = FiredAlerts.of(List.of());

        assertThat(printed(none)).contains("alerts fired: none");
        assertThat(none.asJson()).containsEntry("alertsFired", List.of());
    }

    private static String printed(FiredAlerts alerts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        alerts.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static FiredAlert alert(AlertKind kind, String rule, String at, String... details) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < details.length; i += 2) {
            map.put(details[i], details[i + 1]);
        }
        return new FiredAlert(
                UUID.randomUUID(),
                rule,
                kind,
                "support",
                "subject-" + rule,
                "period",
                kind + " fired",
                map,
                Instant.parse(at),
                FiredAlert.DeliveryState.NONE,
                List.of());
    }
}
